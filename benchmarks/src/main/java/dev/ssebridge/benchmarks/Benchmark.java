package dev.ssebridge.benchmarks;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;

/**
 * The benchmark scenarios, one command each (see benchmarks/README.md). Every scenario prints what it
 * measured; one that loses events exits with status 1.
 */
public final class Benchmark {

    private static final String RING = "source=\"ring\"";
    private static final String KAFKA = "source=\"kafka\"";
    private static final String HEAP = "area=\"heap\"";

    private final Options options;
    private final BridgeProbe probe;

    private Benchmark(Options options) {
        this.options = options;
        this.probe = new BridgeProbe(options.text("bridge"), options.number("bridge-pid"));
    }

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        Benchmark benchmark = new Benchmark(options);
        BenchProducer.createTopic(options.text("bootstrap"), options.text("topic"), 3);
        boolean ok = switch (options.scenario()) {
            case "idle" -> benchmark.idle();
            case "broadcast" -> benchmark.broadcast();
            case "fanout" -> benchmark.fanout();
            case "storm" -> benchmark.storm();
            case "catchup" -> benchmark.catchUp();
            case "slowreader" -> benchmark.slowReader();
            case "snapshot" -> benchmark.snapshot();
            case "conflated" -> benchmark.conflated();
            case "kafka" -> benchmark.kafkaBaseline();
            default -> throw new IllegalArgumentException("unknown scenario " + options.scenario());
        };
        System.exit(ok ? 0 : 1);
    }

    /**
     * N connections, no traffic: what each costs the bridge in RSS and heap. Measured as a slope: the
     * baseline is taken with a first 500 connections already open, so that class loading, JIT and Netty's
     * buffer arenas, paid once, are not divided among the connections. RSS comes from {@code /proc} and heap
     * from {@code jcmd}, so that any server is measured alike; for the bridge both are also read from its
     * own metrics ({@code process_memory_resident_bytes}, {@code jvm_memory_used_bytes}).
     */
    private boolean idle() {
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
            report("idle", Map.of(
                    "connections asked / connected / open in bridge", (n + warm) + " / " + still + " / " + (long) open,
                    "connection errors", load.stats.errors(),
                    "bridge RSS at " + warm + " / at " + (n + warm) + " connections", mb(rss0 * 1024) + " / " + mb(rss1 * 1024),
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
        return new double[] {resident, probe.metric("jvm_memory_used_bytes", HEAP)};
    }

    /** N clients on one channel at R events/s for a duration. */
    private boolean broadcast() {
        try (Fleet fleet = Fleet.open(options);
             BenchProducer producer = new BenchProducer(options, false)) {
            warmUp(fleet.stats(), producer, fleet.clients().size(), options.integer("rate"));
            Step step = step(fleet, producer, options.integer("rate"), options.duration("duration"));
            report("broadcast", step.asMap());
            return step.lost() == 0 && step.afterSilence().clean();
        }
    }

    /** Steps the rate up with N clients until p99 passes the bound or anything is lost. */
    private boolean fanout() {
        double maxP99 = options.integer("max-p99-ms") * 1000.0;
        List<Step> steps = new ArrayList<>();
        try (Fleet fleet = Fleet.open(options);
             BenchProducer producer = new BenchProducer(options, false)) {
            warmUp(fleet.stats(), producer, fleet.clients().size(), options.integers("rates").get(0));
            for (int rate : options.integers("rates")) {
                Step step = step(fleet, producer, rate, options.duration("duration"));
                steps.add(step);
                System.out.println("  " + step.line());
                if (step.lost() > 0 || !step.afterSilence().clean()
                        || step.latency().getValueAtPercentile(99) > maxP99) {
                    break;
                }
            }
        }
        Step best = null;
        for (Step s : steps) {
            if (s.lost() == 0 && s.afterSilence().clean() && s.latency().getValueAtPercentile(99) <= maxP99) {
                best = s;
            }
        }
        report("fanout", Map.of("clients", options.integer("clients"),
                "last sustainable step", best == null ? "none" : best.line(),
                "sustainable deliveries/s", best == null ? 0 : String.format("%.0f", best.deliveriesPerSecond())));
        return true;
    }

    /**
     * N clients drop at once and resume with their cursors inside the ring window, {@code --storms} times.
     * The first storm runs on a fresh JVM: the JIT compiler took 30% of the bridge's CPU in it, compiling
     * the resume path that the connects before it never ran. A bridge that has been up for a while, where
     * clients resume all day (proxies' idle timeouts, retries), has that path compiled: that is the later
     * storms' figure.
     */
    private boolean storm() {
        int n = options.integer("clients");
        int away = options.integer("away-events");
        try (SseLoad load = new SseLoad(options.text("bridge"), options.connectedOnHeaders());
             BenchProducer producer = new BenchProducer(options, false)) {
            List<SseLoad.Client> clients = load.open(n, options.path(), options.integer("connect-rate"), true);
            if (!SseLoad.awaitConnected(clients, Duration.ofSeconds(60 + n / 200))) {
                throw new IllegalStateException("not all clients connected");
            }
            producer.sendAtRate(100, 100);
            awaitDelivered(load.stats, (long) n * 100, Duration.ofSeconds(60));
            Map<String, Object> figures = new java.util.LinkedHashMap<>();
            figures.put("clients", n);
            figures.put("events missed while away (each)", away);
            boolean all = true;
            for (int storm = 1; storm <= options.integer("storms"); storm++) {
                Storm one = storm(load, producer, clients, away);
                all &= one.caughtUp();
                figures.put("storm " + storm + (storm == 1 ? " (cold JVM)" : ""), one.figure());
            }
            figures.put("connection errors", load.stats.errors());
            report("storm", figures);
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
        boolean caughtUp = awaitDelivered(load.stats, before + expected, Duration.ofSeconds(120));
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

    /**
     * N fast clients, then one reader far slower than the stream beside them (plain NIO, a 4 KB receive buffer,
     * 16 bytes a millisecond): what it costs the fast ones in latency, and whether the bridge's heap grows with
     * what the slow one has not read (it should not: the bridge cuts the slow one off at its queue bound, and
     * what it missed stays in Kafka). Two floods of 1 KB records at {@code --rate} for {@code --duration}: the
     * first with the fast clients only, the second beside the slow one.
     */
    private boolean slowReader() throws Exception {
        int rate = options.integer("rate");
        try (Fleet fast = Fleet.open(options);
             BenchProducer producer = new BenchProducer(options, false, 1000)) {
            warmUp(fast.stats(), producer, fast.clients().size(), rate);
            Step alone = step(fast, producer, rate, options.duration("duration"));
            probe.fullGc();
            long heapBefore = probe.heapUsedKb();
            double overflows = probe.metric("ssebridge_overflow_disconnects_total", "");
            try (dev.ssebridge.testsupport.SseSwarm slow = new dev.ssebridge.testsupport.SseSwarm(4096, (seq, data) -> { })) {
                dev.ssebridge.testsupport.SseSwarm.Connection reader = slow.open(java.net.URI.create(options.text("bridge"))
                        .getPort(), options.path(), "bench_event", 1, Duration.ofSeconds(30)).get(0);
                slow.readSlowly(16);
                Step beside = step(fast, producer, rate, options.duration("duration"));
                probe.fullGc();
                long heapDuring = probe.heapUsedKb();
                long unread = reader.missing((int) beside.first(), (int) (beside.first() + beside.events()));
                report("slowreader", Map.of(
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

    /**
     * A channel whose state holds {@code --keys} keys (one record each, written first), then {@code --clients}
     * clients join at {@code --connect-rate} with {@code ?snapshot=true}: time until each has its snapshot
     * ({@code snapshot_end}), the bridge's heap for the state and while serving, its CPU. Every client must get
     * every key before its {@code snapshot_end}. Run with {@code BRIDGE_ARGS=--bridge.channels.bench.snapshot.enabled=true}.
     */
    private boolean snapshot() throws Exception {
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
        Map<String, Object> figures = new java.util.LinkedHashMap<>();
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
            figures.put("state size (bridge's count of frame bytes)", mb((long) stateBytes));
            figures.put("bridge heap after GC: empty / with the state / after serving", heapEmpty / 1024 + " MB / "
                    + heapState / 1024 + " MB / " + heapAfter / 1024 + " MB");
            figures.put("bridge RSS with the state / at most while serving", mb(rssState * 1024) + " / " + mb(peaks.rssKb() * 1024));
            figures.put("bridge heap in use at most while serving (garbage included)", mb(peaks.heapBytes()));
            figures.put("clients with every key before snapshot_end", complete + " of " + n
                    + (options.gzip() ? " (gzip)" : ""));
            figures.put("all snapshots done in", String.format("%.2f s (%.0f snapshot entries/s delivered)",
                    seconds, (double) load.stats.delivered() / seconds));
            figures.put("per client, open to snapshot_end", Stats.describe(toSnapshotEnd));
            figures.put("cpu while serving", use.describe());
            report("snapshot", figures);
            return complete == n;
        }
    }

    /**
     * {@code --clients} clients with {@code --query max_rate=R}: records at {@code --rate} over {@code --keys} keys
     * for {@code --duration}, then silence. Per connection, the latest record of every key must arrive; reported:
     * deliveries against an unconflated stream's, events conflated away, latency (hold time included), the
     * bridge's CPU. Run against channel settings that allow conflation
     * ({@code BRIDGE_ARGS=--bridge.channels.bench.conflation.allowed=true}).
     */
    private boolean conflated() {
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
            Map<String, Object> figures = new java.util.LinkedHashMap<>();
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
            figures.put("bridge CPU per delivery", perDelivery(cpu, seconds, delivered));
            report("conflated", figures);
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

    /** The bridge's CPU time per delivery over a stretch, in microseconds. */
    private static String perDelivery(CpuUse cpu, double seconds, long delivered) {
        return cpu.bridge() < 0 || delivered == 0 ? "n/a"
                : String.format("%.2f µs", cpu.bridge() / 100 * seconds * 1e6 / delivered);
    }

    /** The bridge's highest RSS and heap in use, sampled every 250 ms until stopped. */
    private static final class Peaks {
        private final java.util.concurrent.atomic.AtomicLong rssKb = new java.util.concurrent.atomic.AtomicLong();
        private final java.util.concurrent.atomic.AtomicLong heapBytes = new java.util.concurrent.atomic.AtomicLong();
        private final Thread sampler;

        Peaks(BridgeProbe probe) {
            sampler = new Thread(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    rssKb.accumulateAndGet(probe.rssKb(), Math::max);
                    heapBytes.accumulateAndGet((long) probe.metric("jvm_memory_used_bytes", HEAP), Math::max);
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(250));
                }
            }, "peaks");
            sampler.setDaemon(true);
            sampler.start();
        }

        void stop() throws InterruptedException {
            sampler.interrupt();
            sampler.join();
        }

        long rssKb() {
            return rssKb.get();
        }

        long heapBytes() {
            return heapBytes.get();
        }
    }

    /** Kafka alone: the latency floor of this machine, for comparison with the bridge's figures. */
    private boolean kafkaBaseline() {
        Histogram h = KafkaBaseline.measure(options.text("bootstrap"), options.text("topic"), options.integer("rate"),
                options.duration("duration"));
        report("kafka", Map.of("rate", options.integer("rate") + " ev/s for " + options.duration("duration"),
                "latency (record send to plain consumer poll)", Stats.describe(h)));
        return true;
    }

    /** One client replays the whole topic from Kafka. */
    private boolean catchUp() throws Exception {
        long events = options.number("events");
        try (BenchProducer producer = new BenchProducer(options, true)) {
            producer.sendBulk(events);
        }
        long total = recordsIn(options.text("topic"));
        // The bridge's own tail reads what was just written first; the replay starts once it has.
        long waitUntil = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (probe.metric("ssebridge_consumer_lag", "channel=\"" + options.text("channel") + "\"") > 0
                && System.nanoTime() < waitUntil) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
        }
        // Twice: the first pass warms the bridge's replay path (a fresh JVM), the second is the figure.
        Map<String, Object> figures = new java.util.LinkedHashMap<>();
        figures.put("records in the topic", total);
        boolean all = true;
        for (String pass : List.of("first pass (cold JVM)", "second pass")) {
            try (SseLoad load = new SseLoad(options.text("bridge"))) {
                load.stats.recording(false);
                CpuUse.Meter cpu = CpuUse.start(probe);
                long start = System.nanoTime();
                SseLoad.Client client = load.open(1, options.path() + "?from=earliest", 1, true).get(0);
                long deadline = start + TimeUnit.MINUTES.toNanos(10);
                int resumes = 0;
                while (load.stats.delivered() < total && System.nanoTime() < deadline) {
                    if (client.ended()) {
                        // As EventSource would: resume from the last id after the bridge ended the stream.
                        client.open(client.lastId());
                        resumes++;
                    }
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                // Every record, the last one included, by sequence number (not only a count).
                int missing = client.missing(0, events);
                all &= load.stats.delivered() >= total && missing == 0;
                figures.put(pass, String.format("%d delivered in %.2f s: %.0f events/s, %d missing, the last record %s; "
                                + "%d resumes after the bridge ended the stream; %s",
                        load.stats.delivered(), seconds, load.stats.delivered() / seconds, missing,
                        client.missing(events - 1, events) == 0 ? "there" : "missing", resumes, cpu.stop().describe()));
            }
        }
        report("catchup", figures);
        return all;
    }

    /**
     * Traffic for {@code --warmup} at {@code rate} (at least 25 events) before anything is measured, so that
     * the bridge's JIT has compiled its hot paths: the bridge starts as a fresh JVM for each run, and its
     * compiler threads would otherwise compete for the same cores during the first measured seconds.
     */
    private void warmUp(Stats stats, BenchProducer producer, int clients, int rate) {
        long events = Math.max(25, rate * options.duration("warmup").toSeconds());
        long before = stats.delivered();
        producer.sendAtRate(events, Math.max(rate, 25));
        awaitDelivered(stats, before + events * clients, Duration.ofSeconds(60));
        stats.takeLatency();
    }

    private Step step(Fleet fleet, BenchProducer producer, int rate, Duration duration) {
        List<? extends Receiver> clients = fleet.clients();
        Stats stats = fleet.stats();
        long events = Math.max(1, rate * duration.toSeconds());
        long before = stats.delivered();
        CpuUse.Meter meter = CpuUse.start(probe);
        long t0 = System.nanoTime();
        long first = producer.sendAtRate(events, rate);
        long silentSince = System.nanoTime();
        // Then silence: per connection, is every record there soon after the last one was sent?
        AfterSilence afterSilence = AfterSilence.check(clients, first, first + events, silentSince);
        double seconds = (System.nanoTime() - t0) / 1e9;
        CpuUse cpu = meter.stop();
        long delivered = stats.delivered() - before;
        Histogram latency = stats.takeLatency();
        return new Step(clients.size(), rate, first, events, events * clients.size(), delivered, afterSilence.missing(),
                latency, afterSilence, cpu, probe.rssKb(), stats.errors(), seconds);
    }

    private static boolean awaitDelivered(Stats stats, long target, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (stats.delivered() < target) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
        }
        return true;
    }

    private long recordsIn(String topic) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", options.text("bootstrap")))) {
            int partitions = admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS)
                    .get(topic).partitions().size();
            Map<TopicPartition, OffsetSpec> earliest = new java.util.HashMap<>();
            Map<TopicPartition, OffsetSpec> latest = new java.util.HashMap<>();
            for (int p = 0; p < partitions; p++) {
                earliest.put(new TopicPartition(topic, p), OffsetSpec.earliest());
                latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
            }
            long sum = 0;
            for (var e : admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS).entrySet()) {
                sum += e.getValue().offset();
            }
            for (var e : admin.listOffsets(earliest).all().get(30, TimeUnit.SECONDS).entrySet()) {
                sum -= e.getValue().offset();
            }
            return sum;
        }
    }

    /** One measured stretch at one rate. */
    record Step(int clients, int rate, long first, long events, long expected, long delivered, long lost,
                Histogram latency,
                AfterSilence afterSilence, CpuUse cpu, long rssKb, long errors, double seconds) {

        double deliveriesPerSecond() {
            return delivered / seconds;
        }

        String line() {
            return String.format("%d clients x %d ev/s: %d/%d delivered (%.0f/s), lost %d, %s, after silence: %s, "
                            + "bridge CPU %s, RSS %s, load generator CPU %s, machine busy %s, server JIT %s",
                    clients, rate, delivered, expected, deliveriesPerSecond(), lost, Stats.describe(latency),
                    afterSilence.describe(),
                    cpu.bridgeText(), rssKb < 0 ? "n/a" : mb(rssKb * 1024), cpu.loadGeneratorText(), cpu.machineText(),
                    cpu.jitText());
        }

        Map<String, Object> asMap() {
            Map<String, Object> map = new java.util.LinkedHashMap<>();
            map.put("clients x rate", clients + " x " + rate + " ev/s for " + events + " events");
            map.put("delivered / expected", delivered + " / " + expected + " (lost " + lost + ")");
            map.put("latency (record send to client)", Stats.describe(latency));
            map.put("after silence (each connection, once the producer stopped)", afterSilence.describe());
            map.put("deliveries/s", String.format("%.0f", deliveriesPerSecond()));
            map.put("bridge CPU (100% = one core)", cpu.bridgeText());
            map.put("bridge CPU per delivery", perDelivery(cpu, seconds, delivered));
            map.put("bridge RSS", rssKb < 0 ? "n/a" : mb(rssKb * 1024));
            map.put("load generator CPU (100% = one core)", cpu.loadGeneratorText());
            map.put("machine busy (all cores, 100% = all)", cpu.machineText());
            map.put("server JIT compiling meanwhile", cpu.jitText());
            map.put("connection errors", errors);
            return map;
        }
    }

    private void report(String scenario, Map<String, ?> figures) {
        System.out.println("## " + scenario + " (" + Instant.now() + ")");
        System.out.println("| figure | value |");
        System.out.println("|---|---|");
        new java.util.TreeMap<>(figures).forEach((k, v) -> System.out.println("| " + k + " | " + v + " |"));
        System.out.flush();
    }

    private static String mb(long bytes) {
        return String.format("%.1f MB", bytes / 1048576.0);
    }
}
