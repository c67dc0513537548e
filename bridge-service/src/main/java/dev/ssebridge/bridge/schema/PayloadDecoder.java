package dev.ssebridge.bridge.schema;

/**
 * Turns the bytes of a record's value (or key) into JSON, once per record. Implementations are
 * thread-safe and shared by every reader of a channel. Made by {@link SchemaDecoders}.
 */
@FunctionalInterface
public interface PayloadDecoder {

    /** @param bytes a non-null value or key; tombstones (null values) never reach a decoder */
    Decoded decode(byte[] bytes);
}
