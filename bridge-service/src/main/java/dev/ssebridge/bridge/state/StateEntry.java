package dev.ssebridge.bridge.state;

import dev.ssebridge.bridge.where.EventValue;
import java.util.Map;

/**
 * The latest record of one key, as the channel's state holds it: the event the hub published, sharing its
 * bytes. Immutable; the arrays are never modified.
 *
 * @param partition  Kafka partition
 * @param offset     Kafka offset
 * @param timestamp  record timestamp, epoch millis
 * @param key        record key as UTF-8 text, never null
 * @param stateKey   the piece of state this is the value of: the key, or the key with the channel's state field
 *                   value; what the state keeps one entry of
 * @param severity   rank of the channel's severity field, or -1 (for {@code min_severity} on snapshots)
 * @param frame      the event's shared SSE bytes; a snapshot sends them from {@code bodyOffset} on, with an
 *                   {@code id:} of its own (the live {@code id:} at the start would claim too much)
 * @param bodyOffset where the part after the live {@code id:} line starts in {@code frame}
 * @param value      the record value for {@code ?where=} filters, parsed once for all joining clients
 * @param headers    the record's headers, for a channel whose policy reads them; null otherwise
 */
public record StateEntry(int partition, long offset, long timestamp, String key, String stateKey, int severity,
                         byte[] frame, int bodyOffset, EventValue value, Map<String, String> headers) {

    public StateEntry {
        if (key == null || stateKey == null) {
            throw new IllegalArgumentException("a state entry needs a key");
        }
    }

    /** Bytes held, for the state's bound. */
    public int size() {
        return frame.length;
    }
}
