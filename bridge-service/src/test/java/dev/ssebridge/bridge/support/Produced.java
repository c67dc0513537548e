package dev.ssebridge.bridge.support;

import dev.ssebridge.testsupport.TestProducer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Records produced by a test, numbered: each value is {@code {"seq":n,...}} and its partition and offset
 * are kept, so what a client received can be compared with what was produced, partition by partition.
 */
public final class Produced {

    /** Where record {@code seq} landed, and its key. */
    public record Sent(int seq, int partition, long offset, long timestamp, String key) {
    }

    private final TestProducer producer;
    private final String topic;
    private final List<Sent> sent = new CopyOnWriteArrayList<>();

    public Produced(TestProducer producer, String topic) {
        this.producer = producer;
        this.topic = topic;
    }

    /** Sends the next record, keyed so that records spread over partitions. */
    public Sent next() {
        return next(null);
    }

    /** Sends the next record with an explicit timestamp (null: the producer's clock). */
    public synchronized Sent next(Long timestamp) {
        int seq = sent.size();
        String key = "task-" + (seq % 7);
        String value = "{\"seq\":" + seq + ",\"task_id\":\"" + key + "\",\"progress\":1}";
        RecordMetadata meta = producer.send(new ProducerRecord<>(topic, null, timestamp, key.getBytes(), value.getBytes()));
        Sent s = new Sent(seq, meta.partition(), meta.offset(), meta.timestamp(), key);
        sent.add(s);
        return s;
    }

    public List<Sent> next(int count) {
        List<Sent> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(next());
        }
        return out;
    }

    public List<Sent> all() {
        return List.copyOf(sent);
    }

    public Sent get(int seq) {
        return sent.get(seq);
    }

    /** Per partition, the offsets produced at or after {@code from[partition]}, in order. */
    public Map<Integer, List<Long>> expectedFrom(long[] from) {
        return expectedFrom(from, key -> true);
    }

    /** Per partition, the offsets produced at or after {@code from[partition]} whose key passes {@code keys}. */
    public Map<Integer, List<Long>> expectedFrom(long[] from, java.util.function.Predicate<String> keys) {
        Map<Integer, List<Long>> expected = new TreeMap<>();
        for (Sent s : sent) {
            if (s.offset() >= from[s.partition()] && keys.test(s.key())) {
                expected.computeIfAbsent(s.partition(), p -> new ArrayList<>()).add(s.offset());
            }
        }
        return expected;
    }

    /** Per partition, the offsets of the received sequence numbers, in the order they were received. */
    public Map<Integer, List<Long>> asReceived(List<Integer> seqs) {
        Map<Integer, List<Long>> received = new TreeMap<>();
        for (int seq : seqs) {
            Sent s = sent.get(seq);
            received.computeIfAbsent(s.partition(), p -> new ArrayList<>()).add(s.offset());
        }
        return received;
    }
    /** Per partition: offsets missing, offsets received more than once, and whether the order differs. */
    public static String difference(Map<Integer, List<Long>> expected, Map<Integer, List<Long>> received) {
        StringBuilder out = new StringBuilder();
        for (var e : expected.entrySet()) {
            List<Long> got = received.getOrDefault(e.getKey(), List.of());
            List<Long> missing = e.getValue().stream().filter(o -> !got.contains(o)).limit(20).toList();
            List<Long> duplicated = got.stream().filter(o -> got.indexOf(o) != got.lastIndexOf(o)).distinct()
                    .limit(20).toList();
            boolean sorted = java.util.stream.IntStream.range(1, got.size()).allMatch(i -> got.get(i - 1) < got.get(i));
            out.append("partition ").append(e.getKey()).append(": missing ").append(missing)
                    .append(", duplicated ").append(duplicated).append(", in order ").append(sorted).append("; ");
        }
        return out.toString();
    }

}
