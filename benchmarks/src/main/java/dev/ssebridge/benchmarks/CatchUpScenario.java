package dev.ssebridge.benchmarks;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;

/** Writes {@code --events} records, then one client replays the whole topic from Kafka with {@code from=earliest}. */
record CatchUpScenario(Options options, BridgeProbe probe) implements Scenario {

    @Override
    public boolean run() throws Exception {
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
        Map<String, Object> figures = new LinkedHashMap<>();
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
        Report.print("catchup", figures);
        return all;
    }

    /** Records in the topic now, over all its partitions: what the replay must deliver. */
    private long recordsIn(String topic) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", options.text("bootstrap")))) {
            int partitions = admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS)
                    .get(topic).partitions().size();
            Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
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
}
