package dev.ssebridge.benchmarks;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * A channel whose state holds {@code --keys} keys (one record each, written first), then {@code --clients}
 * clients join at {@code --connect-rate} with {@code ?snapshot=true}: time until each has its snapshot
 * ({@code snapshot_end}), the bridge's heap for the state and while serving, its CPU. Every client must get
 * every key before its {@code snapshot_end}. Run with {@code BRIDGE_ARGS=--bridge.channels.bench.snapshot.enabled=true}.
 */
record SnapshotScenario(Options options, BridgeProbe probe) implements Scenario {

    @Override
    public boolean run() throws Exception {
        int keys = options.integer("keys");
        int n = options.integer("clients");
        String channel = "channel=\"" + options.text("channel") + "\"";
        probe.fullGc();
        long heapEmpty = probe.heapUsedKb();
        try (BenchProducer producer = new BenchProducer(options, true)) {
            producer.sendBulk(keys);
        }
        long waitUntil = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (probe.metric("ssebridge_state_keys", channel) < keys && System.nanoTime() < waitUntil) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
        }
        double[] state = probe.metrics("ssebridge_state_keys", channel);
        double stateBytes = probe.metric("ssebridge_state_bytes", channel);
        probe.fullGc();
        long heapState = probe.heapUsedKb();
        long rssState = probe.rssKb();
        Histogram toSnapshotEnd = new Histogram(TimeUnit.MINUTES.toMicros(10), 3);
        Map<String, Object> figures = new LinkedHashMap<>();
        try (SseLoad load = new SseLoad(options.text("bridge"), false, options.gzip())) {
            load.stats.recording(false);
            Peaks peaks = new Peaks(probe);
            CpuUse.Meter cpu = CpuUse.start(probe);
            long start = System.nanoTime();
            String path = options.path() + (options.path().contains("?") ? "&" : "?") + "snapshot=true";
            List<SseLoad.Client> clients = load.open(n, path, options.integer("connect-rate"), false);
            long deadline = start + TimeUnit.MINUTES.toNanos(10);
            while (System.nanoTime() < deadline
                    && !clients.stream().allMatch(c -> c.snapshotNanos() >= 0 || c.ended())) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            CpuUse use = cpu.stop();
            peaks.stop();
            int complete = 0;
            for (SseLoad.Client client : clients) {
                if (client.snapshotNanos() >= 0) {
                    toSnapshotEnd.recordValue(Math.min(client.snapshotNanos() / 1000, toSnapshotEnd.getHighestTrackableValue()));
                }
                if (client.snapshotNanos() >= 0 && client.recordsAtSnapshotEnd() == keys && client.missing(0, keys) == 0) {
                    complete++;
                }
            }
            probe.fullGc();
            long heapAfter = probe.heapUsedKb();
            figures.put("keys written / held in the state", keys + " / " + (long) state[0]);
            figures.put("state size (bridge's count of frame bytes)", Report.mb((long) stateBytes));
            figures.put("bridge heap after GC: empty / with the state / after serving", heapEmpty / 1024 + " MB / "
                    + heapState / 1024 + " MB / " + heapAfter / 1024 + " MB");
            figures.put("bridge RSS with the state / at most while serving",
                    Report.mb(rssState * 1024) + " / " + Report.mb(peaks.rssKb() * 1024));
            figures.put("bridge heap in use at most while serving (garbage included)", Report.mb(peaks.heapBytes()));
            figures.put("clients with every key before snapshot_end", complete + " of " + n
                    + (options.gzip() ? " (gzip)" : ""));
            figures.put("all snapshots done in", String.format("%.2f s (%.0f snapshot entries/s delivered)",
                    seconds, (double) load.stats.delivered() / seconds));
            figures.put("per client, open to snapshot_end", Stats.describe(toSnapshotEnd));
            figures.put("cpu while serving", use.describe());
            Report.print("snapshot", figures);
            return complete == n;
        }
    }
}
