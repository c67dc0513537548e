package dev.ssebridge.bridge.frame;

/** What {@link RecordDecoder} made of one Kafka record. */
public sealed interface DecodedRecord {

    /**
     * The record as the body of an SSE event: {@code event:} and {@code data:} lines and the blank line
     * that ends the event, UTF-8. No {@code id:} line: that depends on the stream position.
     * {@code severity} is the rank of the channel's severity field ({@link Severities}), or -1.
     */
    record Deliverable(byte[] body, int severity) implements DecodedRecord {
    }

    /** The record cannot be delivered. */
    record Skipped(SkipReason reason, String detail) implements DecodedRecord {
    }
}
