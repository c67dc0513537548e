package dev.ssebridge.simulators.encoding;

/** The record value formats the simulators write; the bridge's {@code value-format} of each. */
public enum ValueFormat {
    /** UTF-8 JSON, the schemas module's payloads as they are. */
    JSON,
    /** Avro binary of {@code avro/<event>.avsc}, Confluent wire format, schema registered. */
    AVRO,
    /** Protobuf of {@code mystocks.proto}, Confluent wire format, schema registered. */
    PROTOBUF;

    public boolean needsRegistry() {
        return this != JSON;
    }
}
