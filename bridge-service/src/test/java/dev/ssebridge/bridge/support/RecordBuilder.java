package dev.ssebridge.bridge.support;

import dev.ssebridge.bridge.channel.Channel;
import dev.ssebridge.bridge.frame.ChannelRecord;
import java.util.Map;

/**
 * Decoded records ({@link ChannelRecord}) for unit tests that need one without a {@code RecordDecoder}: at a
 * partition and offset, with the body and key the test gives. The value spans the whole body unless the test says
 * where it lies; the state key is the key.
 */
public final class RecordBuilder {

    private final Channel channel;
    private int partition;
    private long offset;
    private long timestamp;
    private String key;
    private int severity = -1;
    private byte[] body = new byte[0];
    private int valueOffset;
    private int valueLength = -1;
    private boolean tombstone;
    private Map<String, String> headers;

    private RecordBuilder(Channel channel) {
        this.channel = channel;
    }

    public static RecordBuilder record(Channel channel, int partition, long offset) {
        RecordBuilder builder = new RecordBuilder(channel);
        builder.partition = partition;
        builder.offset = offset;
        return builder;
    }

    public RecordBuilder timestamp(long value) {
        timestamp = value;
        return this;
    }

    public RecordBuilder key(String value) {
        key = value;
        return this;
    }

    public RecordBuilder severity(int value) {
        severity = value;
        return this;
    }

    public RecordBuilder body(byte[] value) {
        body = value;
        return this;
    }

    /** Where the record's value lies in its body (by default: all of it). */
    public RecordBuilder value(int offset, int length) {
        valueOffset = offset;
        valueLength = length;
        return this;
    }

    /** The record's headers, as a channel whose policy reads them keeps them. */
    public RecordBuilder headers(Map<String, String> value) {
        headers = value;
        return this;
    }

    public RecordBuilder tombstone() {
        tombstone = true;
        return this;
    }

    public ChannelRecord build() {
        return new ChannelRecord(channel, partition, offset, timestamp, key, severity, body, valueOffset,
                valueLength < 0 ? body.length - valueOffset : valueLength, tombstone, key, headers);
    }
}
