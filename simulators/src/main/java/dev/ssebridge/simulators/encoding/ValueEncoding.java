package dev.ssebridge.simulators.encoding;

import dev.ssebridge.schemas.EventType;
import tools.jackson.databind.json.JsonMapper;

/**
 * How the simulators write a payload to Kafka: JSON (the default), or Avro or Protobuf in Confluent's wire
 * format with the schema registered in a schema registry under the topic's value subject, as a producer with
 * Confluent's serializers does.
 */
public interface ValueEncoding {

    /**
     * Registers the schema of {@code type}'s values on {@code topic} now, so that a registry that is missing or
     * refuses fails the start rather than every tick. Nothing to do for JSON.
     */
    default void prepare(String topic, EventType type) {
    }

    /** The record value of {@code payload}, an event of {@code type} written to {@code topic}. */
    byte[] encode(String topic, EventType type, Object payload);

    /**
     * The encoding of {@code format}.
     *
     * @param json     the mapper of the payloads (the schemas module's JSON)
     * @param registry the registry's API root; needed by {@code avro} and {@code protobuf}, ignored by {@code json}
     */
    static ValueEncoding of(ValueFormat format, JsonMapper json, String registry) {
        return switch (format) {
            case JSON -> (topic, type, payload) -> json.writeValueAsBytes(payload);
            case AVRO -> new AvroValues(json, new SchemaRegistration(registry));
            case PROTOBUF -> new ProtobufValues(json, new SchemaRegistration(registry));
        };
    }
}
