package dev.ssebridge.bridge.frame;

/** What {@link RecordDecoder} made of one Kafka record. */
public sealed interface DecodedRecord {

    /** The record as an event. */
    record Deliverable(ChannelRecord record) implements DecodedRecord {
    }

    /** The record cannot be delivered; it still moves the channel's position on. */
    record Skipped(SkipReason reason, String detail) implements DecodedRecord {
    }

    /**
     * The record cannot be decoded now (the schema registry does not answer) but may be later: the reader must
     * not move past it, and tries it again after a back-off. Skipping it would lose a record that decodes.
     */
    record Wait(String reason) implements DecodedRecord {
    }
}
