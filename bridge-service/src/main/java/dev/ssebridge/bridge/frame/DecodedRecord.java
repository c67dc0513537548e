package dev.ssebridge.bridge.frame;

/** What {@link RecordDecoder} made of one Kafka record. */
public sealed interface DecodedRecord {

    /** The record as an event. */
    record Deliverable(ChannelRecord record) implements DecodedRecord {
    }

    /** The record cannot be delivered; it still moves the channel's position on. */
    record Skipped(SkipReason reason, String detail) implements DecodedRecord {
    }
}
