package dev.ssebridge.benchmarks;

import dev.ssebridge.testsupport.SseSwarm;
import java.net.URI;
import java.time.Duration;
import java.util.Map;

/**
 * N fast clients, then one reader far slower than the stream beside them (plain NIO, a 4 KB receive buffer,
 * 16 bytes a millisecond): what it costs the fast ones in latency, and whether the bridge's heap grows with
 * what the slow one has not read (it should not: the bridge cuts the slow one off at its queue bound, and
 * what it missed stays in Kafka). Two floods of 1 KB records at {@code --rate} for {@code --duration}: the
 * first with the fast clients only, the second beside the slow one.
 */
record SlowReaderScenario(Options options, BridgeProbe probe) implements Scenario {

    @Override
    public boolean run() throws Exception {
        int rate = options.integer("rate");
        try (Fleet fast = Fleet.open(options);
             BenchProducer producer = new BenchProducer(options, false, 1000)) {
            Step.warmUp(fast.stats(), producer, fast.clients().size(), rate, options.duration("warmup"));
            Step alone = Step.measure(fast, producer, rate, options.duration("duration"), probe);
            probe.fullGc();
            long heapBefore = probe.heapUsedKb();
            double overflows = probe.metric("ssebridge_overflow_disconnects_total", "");
            try (SseSwarm slow = new SseSwarm(4096, (seq, data) -> { })) {
                SseSwarm.Connection reader = slow.open(URI.create(options.text("bridge"))
                        .getPort(), options.path(), "bench_event", 1, Duration.ofSeconds(30)).get(0);
                slow.readSlowly(16);
                Step beside = Step.measure(fast, producer, rate, options.duration("duration"), probe);
                probe.fullGc();
                long heapDuring = probe.heapUsedKb();
                long unread = reader.missing((int) beside.first(), (int) (beside.first() + beside.events()));
                Report.print("slowreader", Map.of(
                        "fast clients alone", alone.line(),
                        "fast clients beside the slow reader", beside.line(),
                        "bridge heap after GC before / with the slow reader behind", heapBefore / 1024 + " MB / "
                                + heapDuring / 1024 + " MB",
                        "records the slow reader had not read (about 1.1 KB each)", unread,
                        "slow reader cut off by the bridge (overflow disconnects)",
                        (long) (probe.metric("ssebridge_overflow_disconnects_total", "") - overflows)));
                return alone.lost() == 0 && beside.lost() == 0 && beside.afterSilence().clean();
            }
        }
    }
}
