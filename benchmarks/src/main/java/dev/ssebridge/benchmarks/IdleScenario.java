package dev.ssebridge.benchmarks;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

/**
 * N connections, no traffic: what each costs the bridge in RSS and heap. Measured as a slope: the
 * baseline is taken with a first 500 connections already open, so that class loading, JIT and Netty's
 * buffer arenas, paid once, are not divided among the connections. RSS comes from {@code /proc} and heap
 * from {@code jcmd}, so that any server is measured alike; for the bridge both are also read from its
 * own metrics ({@code process_memory_resident_bytes}, {@code jvm_memory_used_bytes}).
 */
record IdleScenario(Options options, BridgeProbe probe) implements Scenario {

    @Override
    public boolean run() {
        int n = options.integer("clients");
        int warm = 500;
        boolean bridge = !options.connectedOnHeaders();
        try (SseLoad load = new SseLoad(options.text("bridge"), options.connectedOnHeaders())) {
            List<SseLoad.Client> first = load.open(warm, options.path(), options.integer("connect-rate"), false);
            SseLoad.awaitConnected(first, Duration.ofSeconds(60));
            probe.fullGc();
            long rss0 = probe.rssKb();
            long heap0 = probe.heapUsedKb();
            double[] own0 = bridge ? ownMemory() : null;
            List<SseLoad.Client> clients = load.open(n, options.path(), options.integer("connect-rate"), false);
            boolean all = SseLoad.awaitConnected(clients, Duration.ofSeconds(60 + n / 200));
            LockSupport.parkNanos(options.duration("hold").toNanos());
            long still = SseLoad.connectedCount(clients) + SseLoad.connectedCount(first);
            probe.fullGc();
            long rss1 = probe.rssKb();
            long heap1 = probe.heapUsedKb();
            double[] own1 = bridge ? ownMemory() : null;
            double open = bridge ? probe.metric("ssebridge_connections", "channel=\"" + options.text("channel") + "\"") : -1;
            Report.print("idle", Map.of(
                    "connections asked / connected / open in bridge", (n + warm) + " / " + still + " / " + (long) open,
                    "connection errors", load.stats.errors(),
                    "bridge RSS at " + warm + " / at " + (n + warm) + " connections",
                    Report.mb(rss0 * 1024) + " / " + Report.mb(rss1 * 1024),
                    "RSS per connection", String.format("%.1f KB", (rss1 - rss0) / (double) n),
                    "heap after GC per connection", heap0 < 0 || heap1 < 0 ? "n/a" : String.format("%.1f KB", (heap1 - heap0) / (double) n),
                    "RSS / heap after GC per connection (bridge's own metrics)", bridge
                            ? String.format("%.1f KB / %.1f KB", (own1[0] - own0[0]) / 1024 / n, (own1[1] - own0[1]) / 1024 / n)
                            : "n/a"));
            return all && still == n + warm;
        }
    }

    /** The bridge's resident memory and heap in use, in bytes, from its own metrics. */
    private double[] ownMemory() {
        double resident = probe.metric("process_memory_resident_bytes", "");
        return new double[] {resident, probe.heapInUseBytes()};
    }
}
