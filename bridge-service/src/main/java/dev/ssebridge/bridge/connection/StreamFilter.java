package dev.ssebridge.bridge.connection;

import dev.ssebridge.bridge.channel.Channel;
import dev.ssebridge.bridge.frame.ChannelRecord;
import dev.ssebridge.bridge.hub.ChannelEvent;
import dev.ssebridge.bridge.where.EventValue;
import dev.ssebridge.bridge.where.WhereFilter;
import java.util.Map;
import java.util.Set;

/**
 * Which events of each channel a connection wants: by Kafka key, by minimum severity, and by a
 * {@code ?where=} expression on the record value. Applied to live, replayed, snapshot and history events
 * alike; an event filtered out still moves the connection's position on, so resume stays exact.
 *
 * @param keys        per channel the accepted keys; a channel absent here accepts any key
 * @param minSeverity per channel the lowest accepted severity rank; absent: any
 * @param where       the value filter of every channel of the stream, or null. A tombstone ({@code delete}
 *                    event) passes it: a client holding the key's earlier value must learn it is gone.
 */
public record StreamFilter(Map<Channel, Set<String>> keys, Map<Channel, Integer> minSeverity, WhereFilter where) {

    public static final StreamFilter NONE = new StreamFilter(Map.of(), Map.of(), null);

    public boolean isEmpty() {
        return keys.isEmpty() && minSeverity.isEmpty() && where == null;
    }

    /** A hub event (live, ring or snapshot), whose value is parsed once for every connection. */
    public boolean accepts(ChannelEvent event) {
        return this == NONE || accepts(event.channel(), event.key(), event.severity(), event.value());
    }

    /** A record replayed from Kafka for this connection alone. */
    public boolean accepts(ChannelRecord record) {
        if (this == NONE) {
            return true; // the usual connection: no lookups per event
        }
        EventValue value = where == null || record.tombstone() ? EventValue.ABSENT : EventValue.ofJson(record.body(), record.valueOffset(), record.valueLength());
        return accepts(record.channel(), record.key(), record.severity(), value);
    }

    /**
     * @param value the record value, {@link EventValue#ABSENT} for a tombstone
     */
    public boolean accepts(Channel channel, String key, int severity, EventValue value) {
        if (this == NONE) {
            return true;
        }
        Set<String> accepted = keys.get(channel);
        if (accepted != null && (key == null || !accepted.contains(key))) {
            return false;
        }
        Integer min = minSeverity.get(channel);
        if (min != null && severity < min) {
            return false;
        }
        return where == null || value == EventValue.ABSENT || where.matches(value);
    }
}
