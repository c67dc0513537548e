package dev.ssebridge.bridge.schema;

/**
 * The registry answered, with the Confluent API's "not found" error code, that it has no such schema id
 * (40403) or subject version (40401, 40402). Records naming it are skipped as {@link Decoded.Reason#UNKNOWN_SCHEMA}.
 */
final class SchemaNotFoundException extends Exception {

    SchemaNotFoundException(String message) {
        super(message);
    }
}
