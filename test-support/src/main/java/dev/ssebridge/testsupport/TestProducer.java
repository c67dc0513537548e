package dev.ssebridge.testsupport;

import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** A producer of raw bytes to the test broker; every send waits for the broker's acknowledgement. */
public final class TestProducer implements AutoCloseable {

    private final KafkaProducer<byte[], byte[]> producer;

    public TestProducer() {
        this(TestKafka.bootstrapServers());
    }

    /** A producer to another cluster than the shared test broker (e.g. one a test stops and starts). */
    public TestProducer(String bootstrapServers) {
        this(bootstrapServers, java.util.Map.of());
    }

    /** A producer to the given cluster with some producer settings of the test's own. */
    public TestProducer(String bootstrapServers, java.util.Map<String, Object> overrides) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.putAll(overrides);
        this.producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** Sends a UTF-8 value with a UTF-8 key to the partition the key hashes to. */
    public RecordMetadata send(String topic, String key, String value) {
        return send(new ProducerRecord<>(topic, null, bytes(key), bytes(value), new RecordHeaders()));
    }

    /** Sends to an explicit partition. */
    public RecordMetadata send(String topic, int partition, String key, String value) {
        return send(new ProducerRecord<>(topic, partition, bytes(key), bytes(value)));
    }

    /** Sends and waits up to {@code timeout} for the acknowledgement (e.g. through a broker restart). */
    public RecordMetadata send(String topic, String key, String value, java.time.Duration timeout) {
        return send(new ProducerRecord<>(topic, null, bytes(key), bytes(value), new RecordHeaders()), timeout);
    }

    public RecordMetadata send(ProducerRecord<byte[], byte[]> record) {
        return send(record, java.time.Duration.ofSeconds(30));
    }

    private RecordMetadata send(ProducerRecord<byte[], byte[]> record, java.time.Duration timeout) {
        try {
            return producer.send(record).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("send to " + record.topic() + " failed", e);
        }
    }

    /** Sends without waiting; {@link #flush()} waits for everything sent so far. */
    public java.util.concurrent.Future<RecordMetadata> sendAsync(String topic, String key, byte[] value) {
        return producer.send(new ProducerRecord<>(topic, bytes(key), value));
    }

    /** Sends without waiting; the future completes with Kafka's acknowledgement. */
    public java.util.concurrent.Future<RecordMetadata> sendAsync(ProducerRecord<byte[], byte[]> record) {
        return producer.send(record);
    }

    /** Sends without waiting; the future completes with Kafka's acknowledgement, and {@code onAcknowledged} sees it first. */
    public java.util.concurrent.Future<RecordMetadata> sendAsync(ProducerRecord<byte[], byte[]> record,
                                                                 Runnable onAcknowledged) {
        return producer.send(record, (meta, error) -> {
            if (error == null) {
                onAcknowledged.run();
            }
        });
    }

    /** Sends without waiting; {@code onSent} gets the record's partition and offset once Kafka has it. */
    public void sendAsync(String topic, String key, byte[] value, java.util.function.Consumer<RecordMetadata> onSent) {
        producer.send(new ProducerRecord<>(topic, bytes(key), value), (meta, error) -> {
            if (error == null) {
                onSent.accept(meta);
            }
        });
    }

    public void flush() {
        producer.flush();
    }

    private static byte[] bytes(String s) {
        return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
    }

    /** Waits at most a few seconds: records still unsent by then (their broker is down) are dropped. */
    @Override
    public void close() {
        producer.close(java.time.Duration.ofSeconds(5));
    }
}
