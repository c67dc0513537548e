package dev.ssebridge.benchmarks;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * {@code --clients} clients with {@code --query max_rate=R}: records at {@code --rate} over {@code --keys} keys
 * for {@code --duration}, then silence. Per connection, the latest record of every key must arrive; reported:
 * deliveries against an unconflated stream's, events conflated away, latency (hold time included), the
 * bridge's CPU. Run against channel settings that allow conflation
 * ({@code BRIDGE_ARGS=--bridge.channels.bench.conflation.allowed=true}).
 */
record ConflatedScenario(Options options, BridgeProbe probe) implements Scenario {

    @Override
    public boolean run() {
        int rate = options.integer("rate");
        int keys = options.integer("keys");
        try (SseLoad load = new SseLoad(options.text("bridge"), false, options.gzip());
             BenchProducer producer = new BenchProducer(options, false)) {
            int n = options.integer("clients");
            List<SseLoad.Client> clients = load.open(n, options.path(), options.integer("connect-rate"), true);
            if (!SseLoad.awaitConnected(clients, Duration.ofSeconds(60 + n / 200))) {
                throw new IllegalStateException("not all clients connected");
            }
            long warm = Math.max(keys, rate * options.duration("warmup").toSeconds());
            long warmFirst = producer.sendAtRate(warm, rate);
            awaitLatest(clients, warmFirst + warm, keys, System.nanoTime() + AfterSilence.GRACE.toNanos());
            load.stats.takeLatency();
            double conflated0 = probe.metric("ssebridge_events_conflated_total", "");
            long before = load.stats.delivered();
            long events = Math.max(keys, rate * options.duration("duration").toSeconds());
            CpuUse.Meter meter = CpuUse.start(probe);
            long t0 = System.nanoTime();
            long first = producer.sendAtRate(events, rate);
            long silentSince = System.nanoTime();
            int without = awaitLatest(clients, first + events, keys, silentSince + AfterSilence.GRACE.toNanos());
            double afterSilence = (System.nanoTime() - silentSince) / 1e9;
            double seconds = (System.nanoTime() - t0) / 1e9;
            CpuUse cpu = meter.stop();
            long delivered = load.stats.delivered() - before;
            Map<String, Object> figures = new LinkedHashMap<>();
            figures.put("clients x rate", n + " x " + rate + " ev/s over " + keys + " keys for " + events
                    + " events, " + options.query());
            figures.put("delivered / unconflated", delivered + " / " + events * n + String.format(" (%.1f%%)",
                    100.0 * delivered / (events * n)));
            figures.put("deliveries/s; per client per second", String.format("%.0f; %.1f",
                    delivered / seconds, delivered / seconds / n));
            figures.put("events conflated away (bridge metric)",
                    (long) (probe.metric("ssebridge_events_conflated_total", "") - conflated0));
            figures.put("clients without every key's latest value " + AfterSilence.GRACE.toSeconds() + " s after the last record",
                    without + String.format(" (all there %.2f s after it)", afterSilence));
            figures.put("latency (record send to client, hold time included)", Stats.describe(load.stats.takeLatency()));
            figures.put("cpu", cpu.describe());
            figures.put("bridge CPU per delivery", cpu.bridgePerDelivery(seconds, delivered));
            Report.print("conflated", figures);
            return without == 0;
        }
    }

    /**
     * Waits until every client has the last {@code keys} records before {@code end}: with keys
     * {@code task-<seq mod keys>}, the latest record of every key. Returns how many clients lack one at the deadline.
     */
    private static int awaitLatest(List<SseLoad.Client> clients, long end, int keys, long deadline) {
        while (true) {
            int without = 0;
            for (SseLoad.Client client : clients) {
                for (long seq = Math.max(0, end - keys); seq < end; seq++) {
                    if (!client.has(seq)) {
                        without++;
                        break;
                    }
                }
            }
            if (without == 0 || System.nanoTime() > deadline) {
                return without;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
    }
}
