package dev.ssebridge.bridge.frame;

import dev.ssebridge.bridge.schema.Decoded;

/** Why a Kafka record was not delivered. Each reason is counted per channel. */
public enum SkipReason {
    /** The value is not one well-formed JSON document. */
    INVALID_JSON("invalid_json"),
    /** The value is not valid UTF-8, so it cannot be JSON text. */
    INVALID_UTF8("invalid_utf8"),
    /** The value is larger than {@code bridge.kafka.max-record-size}. */
    OVERSIZE("oversize"),
    /** A schema-registry record too short for the wire-format header, or without its magic byte. */
    BAD_WIRE_FORMAT("bad_wire_format"),
    /** The registry has no schema with the record's id (or a schema it references). */
    UNKNOWN_SCHEMA("unknown_schema"),
    /** The record's schema is of another kind than the channel's format (an Avro id on a Protobuf channel). */
    WRONG_SCHEMA_TYPE("wrong_schema_type"),
    /** The registry's schema does not parse or link. */
    INVALID_SCHEMA("invalid_schema"),
    /** The payload does not decode with its writer schema. */
    UNDECODABLE("undecodable");

    private final String label;

    SkipReason(String label) {
        this.label = label;
    }

    /** The reason of a record a schema decoder skipped. */
    static SkipReason of(Decoded.Reason reason) {
        return switch (reason) {
            case BAD_WIRE_FORMAT -> BAD_WIRE_FORMAT;
            case UNKNOWN_SCHEMA -> UNKNOWN_SCHEMA;
            case WRONG_SCHEMA_TYPE -> WRONG_SCHEMA_TYPE;
            case INVALID_SCHEMA -> INVALID_SCHEMA;
            case UNDECODABLE -> UNDECODABLE;
            case INVALID_JSON -> INVALID_JSON;
        };
    }

    /** Name used in status and metrics. */
    public String label() {
        return label;
    }
}
