package dev.ssebridge.benchmarks;

import dev.ssebridge.testsupport.SseSwarm;
import java.net.URI;
import java.time.Duration;
import java.util.Map;

/**
 * N fast clients, then {@code --slow-readers} (1) readers far slower than the stream beside them (plain NIO, a 4 KB
 * receive buffer, 16 bytes a millisecond): what it costs the fast ones in latency, and whether the bridge's heap grows
 * with what the slow ones have not read (it should not: the bridge cuts a slow one off at its queue bound, and
 * what it missed stays in Kafka). Two floods of 1 KB records at {@code --rate} for {@code --duration}: the
 * first with the fast clients only, the second beside the slow ones. The bridge's direct memory (Netty's buffers,
 * where a connection's writes wait for its socket) is read after the first and at the end of the second, while the
 * slow ones are behind.
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
            long directBefore = directBytes();
            long heapBefore = probe.heapUsedKb();
            double overflows = probe.metric("ssebridge_overflow_disconnects_total", "");
            int slowReaders = options.integer("slow-readers");
            try (SseSwarm slow = new SseSwarm(4096, (seq, data) -> { })) {
                SseSwarm.Connection reader = slow.open(URI.create(options.text("bridge"))
                        .getPort(), options.path(), "bench_event", slowReaders, Duration.ofSeconds(30)).get(0);
                slow.readSlowly(16);
                Step beside = Step.measure(fast, producer, rate, options.duration("duration"), probe);
                long directBeside = directBytes();
                probe.fullGc();
                long heapDuring = probe.heapUsedKb();
                long unread = reader.missing((int) beside.first(), (int) (beside.first() + beside.events()));
                Report.print("slowreader", Map.of(
                        "fast clients alone", alone.line(),
                        "fast clients beside the slow readers", beside.line(),
                        "bridge heap after GC before / with the slow readers behind", heapBefore / 1024 + " MB / "
                                + heapDuring / 1024 + " MB",
                        "bridge direct memory after the flood alone / at the end of the flood beside the slow readers",
                        directBefore / (1024 * 1024) + " MB / " + directBeside / (1024 * 1024) + " MB ("
                                + (directBeside - directBefore) / 1024 / slowReaders + " KB per slow reader)",
                        "slow readers", slowReaders,
                        "records the first slow reader had not read (about 1.1 KB each)", unread,
                        "slow readers cut off by the bridge (overflow disconnects)",
                        (long) (probe.metric("ssebridge_overflow_disconnects_total", "") - overflows)));
                return alone.lost() == 0 && beside.lost() == 0 && beside.afterSilence().clean();
            }
        }
    }

    /** The JVM's direct buffers in use (Netty allocates its buffers there on this JVM). */
    private long directBytes() throws Exception {
        return (long) probe.metric("jvm_buffer_memory_used_bytes", "id=\"direct\"");
    }
}
