package dev.ssebridge.bridge.config;

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

    /** Whether records of this format need a schema: from the registry or a schema file. */
    public boolean needsSchema() {
        return this == AVRO || this == PROTOBUF;
    }

    /** The name used in configuration and status: {@code json-schema}, {@code avro}, ... */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

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
