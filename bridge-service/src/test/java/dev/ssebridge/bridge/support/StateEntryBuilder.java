package dev.ssebridge.bridge.support;

import dev.ssebridge.bridge.state.StateEntry;
import dev.ssebridge.bridge.where.EventValue;
import java.util.Map;

/**
 * State entries ({@link StateEntry}) for unit tests of the state: a key's record at a partition and offset, with a
 * frame of the bytes (or size) the test gives, the key as its state key unless given, and no value for filters
 * unless given.
 */
public final class StateEntryBuilder {

    private final int partition;
    private final long offset;
    private final String key;
    private String stateKey;
    private long timestamp;
    private int severity = -1;
    private byte[] frame = new byte[10];
    private EventValue value = EventValue.ABSENT;
    private Map<String, String> headers;

    private StateEntryBuilder(int partition, long offset, String key) {
        this.partition = partition;
        this.offset = offset;
        this.key = key;
        this.stateKey = key;
    }

    public static StateEntryBuilder entry(int partition, long offset, String key) {
        return new StateEntryBuilder(partition, offset, key);
    }

    public StateEntryBuilder stateKey(String value) {
        stateKey = value;
        return this;
    }

    public StateEntryBuilder timestamp(long value) {
        timestamp = value;
        return this;
    }

    public StateEntryBuilder severity(int value) {
        severity = value;
        return this;
    }

    public StateEntryBuilder frame(byte[] value) {
        frame = value;
        return this;
    }

    public StateEntryBuilder value(EventValue value) {
        this.value = value;
        return this;
    }

    /** The record's headers, as a channel whose policy reads them keeps them. */
    public StateEntryBuilder headers(Map<String, String> value) {
        headers = value;
        return this;
    }

    public StateEntry build() {
        return new StateEntry(partition, offset, timestamp, key, stateKey, severity, frame, 0, value, headers);
    }
}
