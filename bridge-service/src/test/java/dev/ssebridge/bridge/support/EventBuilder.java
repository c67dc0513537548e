package dev.ssebridge.bridge.support;

import dev.ssebridge.bridge.channel.Channel;
import dev.ssebridge.bridge.cursor.TopicIncarnation;
import dev.ssebridge.bridge.hub.ChannelEvent;
import dev.ssebridge.bridge.where.EventValue;
import java.util.Map;

/**
 * Hub events ({@link ChannelEvent}) for unit tests that need one without a hub: at a partition and offset, whose
 * position after it is that offset + 1 in its partition (0 elsewhere) unless the test gives one, with a frame of
 * the bytes (or just the size) the test gives, no value for filters unless given, and the key as its state key.
 */
public final class EventBuilder {

    private final Channel channel;
    private final int partition;
    private final long offset;
    private long timestamp;
    private String key;
    private int severity = -1;
    private long[] positionsAfter;
    private byte[] frame = new byte[0];
    private int bodyOffset;
    private EventValue value = EventValue.ABSENT;
    private Map<String, String> headers;
    private int incarnation = TopicIncarnation.UNKNOWN;
    private boolean history;

    private EventBuilder(Channel channel, int partition, long offset) {
        this.channel = channel;
        this.partition = partition;
        this.offset = offset;
    }

    public static EventBuilder event(Channel channel, int partition, long offset) {
        return new EventBuilder(channel, partition, offset);
    }

    public EventBuilder timestamp(long value) {
        timestamp = value;
        return this;
    }

    public EventBuilder key(String value) {
        key = value;
        return this;
    }

    public EventBuilder severity(int value) {
        severity = value;
        return this;
    }

    public EventBuilder positionsAfter(long... value) {
        positionsAfter = value;
        return this;
    }

    /** The event's shared bytes; {@code bodyOffset} is where the part after its {@code id:} line starts. */
    public EventBuilder frame(byte[] value, int bodyOffset) {
        frame = value;
        this.bodyOffset = bodyOffset;
        return this;
    }

    /** A frame of {@code size} zero bytes, for tests of buffer accounting. */
    public EventBuilder size(int size) {
        return frame(new byte[size], 0);
    }

    /** The record value as {@code where} filters see it. */
    public EventBuilder value(EventValue value) {
        this.value = value;
        return this;
    }

    /** The record's headers, as a channel whose policy reads them keeps them. */
    public EventBuilder headers(Map<String, String> value) {
        headers = value;
        return this;
    }

    /** Read while a state was built from the topic's start, and written before the bridge started. */
    public EventBuilder history() {
        history = true;
        return this;
    }

    /** The incarnation of the topic its offsets are in. */
    public EventBuilder incarnation(int value) {
        incarnation = value;
        return this;
    }

    public ChannelEvent build() {
        long[] after = positionsAfter;
        if (after == null) {
            after = new long[partition + 1];
            after[partition] = offset + 1;
        }
        return new ChannelEvent(channel, partition, offset, timestamp, key, severity, after, frame, bodyOffset, value,
                key, headers, incarnation, history);
    }
}
