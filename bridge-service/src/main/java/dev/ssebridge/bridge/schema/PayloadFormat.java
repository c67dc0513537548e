package dev.ssebridge.bridge.schema;

import java.util.Locale;

/** How a channel's values (or keys) are written to Kafka. */
public enum PayloadFormat {
    /** UTF-8 text, delivered as a JSON string. The default for keys. */
    STRING,
    /** A JSON document, embedded as it is. The default for values. */
    JSON,
    /** Avro: Confluent wire format with a registry, or plain binary Avro with a local {@code .avsc}. */
    AVRO,
    /** Protobuf: Confluent wire format with a registry, or plain with a local descriptor set or {@code .proto}. */
    PROTOBUF,
    /** JSON Schema in the Confluent wire format: the header is stripped and the payload is the JSON. */
    JSON_SCHEMA;

    /** Accepts the names used in configuration: {@code json}, {@code avro}, {@code protobuf}, {@code json-schema}, {@code string}. */
    public static PayloadFormat of(String name) {
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "unknown format '" + name + "': use json, avro, protobuf, json-schema or string", e);
        }
    }
}
