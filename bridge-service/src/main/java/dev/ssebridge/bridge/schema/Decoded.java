package dev.ssebridge.bridge.schema;

import java.nio.charset.StandardCharsets;

/**
 * What a {@link PayloadDecoder} made of a record's value or key: its JSON, a reason to skip it for good,
 * or word that the schema registry cannot be reached, in which case the caller must wait and try the same
 * record again (skipping it would lose a record that decodes once the registry is back).
 */
public sealed interface Decoded {

    /**
     * The value as one compact JSON document, UTF-8, without raw line breaks (Jackson escapes them inside
     * strings and writes no whitespace between tokens), so it can be embedded in an SSE {@code data:} line
     * as it is.
     */
    record Json(byte[] json) implements Decoded {
        @Override
        public String toString() {
            return new String(json, StandardCharsets.UTF_8);
        }
    }

    /** The record can never be decoded by this bridge as configured: skip it and count it under {@code reason}. */
    record Skip(Reason reason, String detail) implements Decoded {
    }

    /**
     * The schema registry did not answer (down, timing out, refusing credentials, overloaded). Nothing is
     * known about the record: retry it after a back-off, and report the registry as down meanwhile.
     */
    record Wait(RegistryUnavailableException cause) implements Decoded {
    }

    /** Why a record is skipped; {@link #label()} is the name used in status and metrics. */
    enum Reason {
        /** Too short for the header, or a first byte that is not the wire format's magic byte 0. */
        BAD_WIRE_FORMAT("bad_wire_format"),
        /** The registry answered that it has no schema with the record's id (or a schema it references). */
        UNKNOWN_SCHEMA("unknown_schema"),
        /** The id names a schema of another kind than the channel's format (an Avro id on a Protobuf channel). */
        WRONG_SCHEMA_TYPE("wrong_schema_type"),
        /** The registry's schema text does not parse or link (or names a message index it does not have). */
        INVALID_SCHEMA("invalid_schema"),
        /** The payload does not decode with its writer schema. */
        UNDECODABLE("undecodable"),
        /** A JSON Schema record whose payload is not one JSON document. */
        INVALID_JSON("invalid_json");

        private final String label;

        Reason(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }
}
