package dev.ssebridge.benchmarks;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * N clients drop at once and resume with their cursors inside the ring window, {@code --storms} times.
 * The first storm runs on a fresh JVM: the JIT compiler took 30% of the bridge's CPU in it, compiling
 * the resume path that the connects before it never ran. A bridge that has been up for a while, where
 * clients resume all day (proxies' idle timeouts, retries), has that path compiled: that is the later
 * storms' figure.
 */
record StormScenario(Options options, BridgeProbe probe) implements Scenario {

    private static final String RING = "source=\"ring\"";
    private static final String KAFKA = "source=\"kafka\"";

    @Override
    public boolean run() {
        int n = options.integer("clients");
        int away = options.integer("away-events");
        try (SseLoad load = new SseLoad(options.text("bridge"), options.connectedOnHeaders());
             BenchProducer producer = new BenchProducer(options, false)) {
            List<SseLoad.Client> clients = load.open(n, options.path(), options.integer("connect-rate"), true);
            if (!SseLoad.awaitConnected(clients, Duration.ofSeconds(60 + n / 200))) {
                throw new IllegalStateException("not all clients connected");
            }
            producer.sendAtRate(100, 100);
            load.stats.awaitDelivered((long) n * 100, Duration.ofSeconds(60));
            Map<String, Object> figures = new LinkedHashMap<>();
            figures.put("clients", n);
            figures.put("events missed while away (each)", away);
            boolean all = true;
            for (int storm = 1; storm <= options.integer("storms"); storm++) {
                Storm one = storm(load, producer, clients, away);
                all &= one.caughtUp();
                figures.put("storm " + storm + (storm == 1 ? " (cold JVM)" : ""), one.figure());
            }
            figures.put("connection errors", load.stats.errors());
            Report.print("storm", figures);
            return all;
        }
    }

    private record Storm(boolean caughtUp, String figure) {
    }

    /** The clients drop, {@code away} records arrive, all resume with their cursors at once. */
    private Storm storm(SseLoad load, BenchProducer producer, List<SseLoad.Client> clients, int away) {
        long expected = (long) clients.size() * away;
        double[] replays0 = probe.metrics("ssebridge_replays_total", RING, KAFKA);
        clients.forEach(SseLoad.Client::close);
        long first = producer.sendAtRate(away, 1000);
        long before = load.stats.delivered();
        CpuUse.Meter cpu = CpuUse.start(probe);
        long start = System.nanoTime();
        clients.forEach(c -> c.open(c.lastId()));
        boolean caughtUp = load.stats.awaitDelivered(before + expected, Duration.ofSeconds(120));
        double seconds = (System.nanoTime() - start) / 1e9;
        CpuUse use = cpu.stop();
        double[] replays = probe.metrics("ssebridge_replays_total", RING, KAFKA);
        // Per connection, not in total: one client's duplicate must not hide another's gap.
        long missing = 0;
        long withoutLast = 0;
        for (SseLoad.Client client : clients) {
            missing += client.missing(first, first + away);
            withoutLast += client.missing(first + away - 1, first + away);
        }
        return new Storm(caughtUp && missing == 0, String.format("%s; %d / %d delivered; per connection: %d missing, "
                        + "%d connections without the last record; replays from the ring / from Kafka %d / %d; %s",
                caughtUp ? String.format("all resumed and caught up in %.2f s", seconds) : "not within 120 s",
                load.stats.delivered() - before, expected, missing, withoutLast,
                (long) (replays[0] - replays0[0]), (long) (replays[1] - replays0[1]), use.describe()));
    }
}
