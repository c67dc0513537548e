package dev.ssebridge.benchmarks;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Writes benchmark records at a fixed rate: each value carries its sequence number and the wall-clock
 * microsecond it was sent, padded to the size of a typical progress event. {@code linger.ms=0}: a record
 * leaves at once, so latency is the bridge's, not the producer's batching. Values are JSON, or with
 * {@code --value-format avro} plain binary Avro of {@code bench_event.avsc} (the bridge decodes them with the
 * same file), whose JSON is the same text.
 */
final class BenchProducer implements AutoCloseable {

    /** Pads a record to the size of a typical progress event. */
    static final int TYPICAL_PAD = 120;

    private final KafkaProducer<String, byte[]> producer;
    private final BenchValues values;
    private final String topic;
    private final String pad;
    private final int keys;
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong lastAcked = new AtomicLong(-1);
    private long nextSeq;

    BenchProducer(Options options, boolean batch) {
        this(options, batch, TYPICAL_PAD);
    }

    /** @param padBytes characters of padding in each value (about 1 KB records with 1,000) */
    BenchProducer(Options options, boolean batch, int padBytes) {
        this(options.text("bootstrap"), options.text("topic"), batch, padBytes, BenchValues.of(options.text("value-format")),
                options.integer("keys"));
    }

    /** @param keys records go to keys {@code task-<seq mod keys>} */
    BenchProducer(String bootstrapServers, String topic, boolean batch, int padBytes, BenchValues values, int keys) {
        this(bootstrapServers, topic, batch, padBytes, values, keys, false);
    }

    /**
     * @param durable each record once and in order per key through a broker restart (the soak): acks from all
     *                replicas, idempotence, five minutes to deliver; else acks=1, which turns idempotence off and
     *                lets a retry write a record twice or out of order
     */
    BenchProducer(String bootstrapServers, String topic, boolean batch, int padBytes, BenchValues values, int keys,
                  boolean durable) {
        this.keys = keys;
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.LINGER_MS_CONFIG, batch ? 20 : 0);
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, batch ? 512 * 1024 : 16 * 1024);
        props.put(ProducerConfig.ACKS_CONFIG, durable ? "all" : "1");
        if (durable) {
            props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
            props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 300_000);
            props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 300_000);
        }
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, batch ? "lz4" : "none");
        this.producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
        this.values = values;
        this.topic = topic;
        this.pad = "x".repeat(padBytes);
    }

    static void createTopic(String bootstrapServers, String topic, int partitions) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers))) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get(30, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
        }
    }

    /** Sends {@code count} records at {@code perSecond}; returns the first sequence number sent. */
    long sendAtRate(long count, double perSecond) {
        long first = nextSeq;
        long start = System.nanoTime();
        for (long i = 0; i < count; i++) {
            send();
            long due = start + (long) ((i + 1) * (1_000_000_000.0 / perSecond));
            LockSupport.parkNanos(due - System.nanoTime());
        }
        producer.flush();
        return first;
    }

    /** Sends {@code count} records as fast as Kafka takes them (catch-up data). */
    void sendBulk(long count) {
        for (long i = 0; i < count; i++) {
            send();
        }
        producer.flush();
    }

    long failed() {
        return failed.get();
    }

    /** The highest sequence number Kafka has acknowledged, or -1. */
    long lastAcked() {
        return lastAcked.get();
    }

    private void send() {
        long seq = nextSeq++;
        byte[] value = values.value(seq, Clocks.nowMicros(), pad);
        producer.send(new ProducerRecord<>(topic, key(seq), value), (meta, error) -> {
            if (error != null) {
                failed.incrementAndGet();
            } else {
                lastAcked.accumulateAndGet(seq, Math::max);
            }
        });
    }

    /** The key of record {@code seq}. */
    String key(long seq) {
        return "task-" + (seq % keys);
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(10));
    }
}
