package dev.ssebridge.bridge.schema;

import java.util.List;

/**
 * A schema as the registry returns it: its kind, its text (Avro JSON, {@code .proto} source or JSON Schema)
 * and the other schemas it imports.
 *
 * @param type AVRO (what the API means when it leaves the type out), PROTOBUF or JSON
 */
record RegistrySchema(String type, String schema, List<Reference> references) {

    RegistrySchema {
        references = List.copyOf(references);
    }

    /** An imported schema: {@code name} is the import path (Protobuf) or full name (Avro) used in the text. */
    record Reference(String name, String subject, int version) {
    }
}
