package dev.ssebridge.simulators.kafka;

import dev.ssebridge.schemas.EventType;
import dev.ssebridge.simulators.Emission;
import dev.ssebridge.simulators.encoding.ValueEncoding;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes emissions to Kafka as the platform's producers do: keyed by entity id, values in the chosen
 * encoding, header {@code ce_type} = event name, idempotent, no linger (the demo is about latency).
 */
public final class EventPublisher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EventPublisher.class);

    private final KafkaProducer<byte[], byte[]> producer;
    private final ValueEncoding values;

    public EventPublisher(String bootstrapServers, Map<String, String> extra, ValueEncoding values) {
        Map<String, Object> props = new HashMap<>(extra);
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "ssebridge-simulators");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 0);
        this.producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
        this.values = values;
    }

    public void publish(String topic, EventType type, List<Emission> emissions) {
        for (Emission emission : emissions) {
            RecordHeaders headers = new RecordHeaders();
            headers.add("ce_type", type.eventName().getBytes(StandardCharsets.UTF_8));
            headers.add("ce_source", "ssebridge-simulators".getBytes(StandardCharsets.UTF_8));
            producer.send(new ProducerRecord<>(topic, null, emission.key().getBytes(StandardCharsets.UTF_8),
                    values.encode(topic, type, emission.payload()), headers), (meta, error) -> {
                        if (error != null) {
                            log.warn("Could not write {} to {}: {}", type.eventName(), topic, error.toString());
                        }
                    });
        }
    }

    @Override
    public void close() {
        producer.close();
    }
}
