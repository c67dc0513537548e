package dev.ssebridge.bridge.kafka;

/**
 * A tail met a record it cannot decode until the schema registry answers. Raised inside the tail's pipeline so
 * that the consumer is rebuilt from the hub's positions, which have not moved past that record, after a
 * back-off: the record is read and decoded again, never skipped.
 */
final class SchemaRegistryWait extends RuntimeException {

    SchemaRegistryWait(String reason) {
        super(reason, null, false, false);
    }
}
