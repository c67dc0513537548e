package dev.ssebridge.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Issue 24's family benchmark: a family of N topics ({@code --clients}; {@code bench.family.t0000...}, one partition
 * each; run.sh configures the family {@code fam}), one stream each. The streams open a few at a time, each on a
 * topic nobody watched before: the time to {@code connected} (the topic looked up, its tail started), then one
 * record written to it and the time to its delivery (the new tail's assignment and first fetch). With every tail
 * idle, RSS, heap after GC and threads per tail against before. Then every stream closes, and the time until the
 * bridge has stopped all the tails (its idle timeout, {@code --hold}, plus the sweep), and what comes back.
 */
record FamilyScenario(Options options, BridgeProbe probe) implements Scenario {

    static final String TOPIC_PREFIX = "bench.family.";
    /** Streams opening at once: the look-ups and tail starts overlap a little, as in a real arrival pattern. */
    private static final int AT_ONCE = 4;

    @Override
    public boolean run() throws Exception {
        int n = options.integer("clients");
        createTopics(n);
        probe.fullGc();
        long rss0 = probe.rssKb();
        long heap0 = probe.heapUsedKb();
        long threads0 = probe.threads();
        Histogram toConnected = new Histogram(TimeUnit.SECONDS.toMicros(60), 3);
        BenchValues values = BenchValues.of("json");
        String pad = "x".repeat(BenchProducer.TYPICAL_PAD);
        try (SseLoad load = new SseLoad(options.text("bridge"));
             KafkaProducer<String, byte[]> producer = producer()) {
            List<SseLoad.Client> all = new ArrayList<>();
            for (int first = 0; first < n; first += AT_ONCE) {
                int count = Math.min(AT_ONCE, n - first);
                int from = first;
                long opened = System.nanoTime();
                List<SseLoad.Client> batch = load.open(count, i -> "/api/v1/sse/fam/" + topic(from + i), 1_000_000,
                        false);
                all.addAll(batch);
                if (!awaitConnected(batch, opened, toConnected)) {
                    Report.print("family", Map.of("failed", "streams " + from + ".. did not connect in 30 s; "
                            + load.stats.errors() + " errors (is the family's max-topics below --clients?)"));
                    return false;
                }
                for (int i = 0; i < count; i++) {
                    producer.send(new ProducerRecord<>(TOPIC_PREFIX + topic(from + i), "task-0",
                            values.value(from + i, Clocks.nowMicros(), pad)));
                }
                producer.flush();
                long target = first + count;
                if (!load.stats.awaitDelivered(target, Duration.ofSeconds(30))) {
                    Report.print("family", Map.of("failed", "first records of streams " + from + ".. not delivered"));
                    return false;
                }
            }
            Histogram firstEvent = load.stats.takeLatency();
            long running = (long) probe.metric("ssebridge_family_tails", "family=\"fam\"");
            probe.fullGc();
            long rss1 = probe.rssKb();
            long heap1 = probe.heapUsedKb();
            long threads1 = probe.threads();

            long closing = System.nanoTime();
            all.forEach(SseLoad.Client::close);
            long stoppedAfter = awaitStopped(Duration.ofSeconds(60).plus(options.duration("hold").multipliedBy(2)));
            LockSupport.parkNanos(Duration.ofSeconds(2).toNanos()); // consumers close asynchronously
            probe.fullGc();
            long rss2 = probe.rssKb();
            long heap2 = probe.heapUsedKb();
            long threads2 = probe.threads();

            Map<String, Object> figures = new LinkedHashMap<>();
            figures.put("1 topics / streams / tails running", n + " / " + all.size() + " / " + running);
            figures.put("2 request to connected (look-up, tail started)", Stats.describe(toConnected));
            figures.put("3 first record on a topic nobody watched, written after connected, to delivery",
                    Stats.describe(firstEvent));
            figures.put("4 bridge RSS before / with " + n + " idle tails / after they stopped",
                    Report.mb(rss0 * 1024) + " / " + Report.mb(rss1 * 1024) + " / " + Report.mb(rss2 * 1024));
            figures.put("5 per idle tail (with its stream): RSS / heap after GC / threads", String.format(
                    "%.1f KB / %s / %.2f", (rss1 - rss0) / (double) n,
                    heap0 < 0 ? "n/a" : String.format("%.1f KB", (heap1 - heap0) / (double) n),
                    (threads1 - threads0) / (double) n));
            figures.put("6 heap after GC before / after the tails stopped", heap0 < 0 ? "n/a"
                    : Report.mb(heap0 * 1024) + " / " + Report.mb(heap2 * 1024));
            figures.put("7 threads before / with tails / after", threads0 + " / " + threads1 + " / " + threads2);
            figures.put("8 streams closed to every tail stopped (idle timeout " + options.text("hold") + ")",
                    stoppedAfter < 0 ? "not within the wait" : String.format("%.1f s",
                            (stoppedAfter - closing) / 1e9));
            figures.put("9 stream errors", load.stats.errors());
            Report.print("family", figures);
            return running == n && stoppedAfter > 0 && load.stats.errors() == 0;
        }
    }

    static String topic(int i) {
        return String.format("t%04d", i);
    }

    /** Waits until each client is connected, recording for each the time from {@code opened} (1 ms granularity). */
    private static boolean awaitConnected(List<SseLoad.Client> batch, long opened, Histogram into) {
        boolean[] seen = new boolean[batch.size()];
        int left = batch.size();
        long deadline = opened + Duration.ofSeconds(30).toNanos();
        while (left > 0 && System.nanoTime() < deadline) {
            for (int i = 0; i < seen.length; i++) {
                if (!seen[i] && batch.get(i).connected()) {
                    seen[i] = true;
                    left--;
                    into.recordValue((System.nanoTime() - opened) / 1_000);
                }
            }
            LockSupport.parkNanos(Duration.ofMillis(1).toNanos());
        }
        return left == 0;
    }

    /** nanoTime when the bridge reports no tail of the family running, or -1 after {@code wait}. */
    private long awaitStopped(Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        while (System.nanoTime() < deadline) {
            if (probe.metric("ssebridge_family_tails", "family=\"fam\"") == 0) {
                return System.nanoTime();
            }
            LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
        }
        return -1;
    }

    private void createTopics(int n) throws Exception {
        List<NewTopic> topics = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            topics.add(new NewTopic(TOPIC_PREFIX + topic(i), 1, (short) 1));
        }
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", options.text("bootstrap")))) {
            admin.createTopics(topics).all().get(120, TimeUnit.SECONDS);
        }
    }

    private KafkaProducer<String, byte[]> producer() {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, options.text("bootstrap"));
        props.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        props.put(ProducerConfig.ACKS_CONFIG, "1");
        return new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
    }
}
