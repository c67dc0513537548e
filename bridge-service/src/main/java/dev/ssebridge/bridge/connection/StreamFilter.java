package dev.ssebridge.bridge.connection;

import dev.ssebridge.bridge.channel.Channel;
import dev.ssebridge.bridge.frame.ChannelRecord;
import dev.ssebridge.bridge.hub.ChannelEvent;
import dev.ssebridge.bridge.policy.PolicyScope;
import dev.ssebridge.bridge.state.StateEntry;
import dev.ssebridge.bridge.where.EventValue;
import dev.ssebridge.bridge.where.WhereFilter;
import java.util.Map;
import java.util.Set;

/**
 * Which events of each channel a connection gets: what its channels' record policies let its caller see, narrowed
 * by what it asked for (Kafka key, minimum severity, a {@code ?where=} expression on the record value). Applied to
 * live, replayed, snapshot, conflated and history events alike; an event filtered out still moves the connection's
 * position on, so resume stays exact (and a record a policy hides is skipped, never reported as a gap).
 *
 * @param keys        per channel the accepted keys; a channel absent here accepts any key
 * @param minSeverity per channel the lowest accepted severity rank; absent: any
 * @param where       the value filter of every channel of the stream, or null. A tombstone ({@code delete}
 *                    event) passes it: a client holding the key's earlier value must learn it is gone.
 * @param scopes      per channel with a record policy, the caller's scope of it (see {@link PolicyScope}); a
 *                    tombstone must pass the policy like any record
 */
public record StreamFilter(Map<Channel, Set<String>> keys, Map<Channel, Integer> minSeverity, WhereFilter where,
                           Map<Channel, PolicyScope> scopes) {

    public static final StreamFilter NONE = new StreamFilter(Map.of(), Map.of(), null, Map.of());

    /** What the client asked for, before its caller's scopes are known. */
    public static StreamFilter of(Map<Channel, Set<String>> keys, Map<Channel, Integer> minSeverity, WhereFilter where) {
        StreamFilter filter = new StreamFilter(keys, minSeverity, where, Map.of());
        return filter.isEmpty() ? NONE : filter;
    }

    /** This filter within the caller's scopes of its channels' policies. */
    public StreamFilter withScopes(Map<Channel, PolicyScope> channelScopes) {
        return channelScopes.isEmpty() ? this : new StreamFilter(keys, minSeverity, where, Map.copyOf(channelScopes));
    }

    /**
     * This filter narrowed to {@code pathKeys} as well: the keys the stream's path itself names (a route whose
     * parameter is the record key), intersected with what the query asked.
     */
    public StreamFilter withKeys(Map<Channel, Set<String>> pathKeys) {
        if (pathKeys.isEmpty()) {
            return this;
        }
        Map<Channel, Set<String>> merged = new java.util.HashMap<>(keys);
        pathKeys.forEach((channel, only) -> merged.merge(channel, only, (asked, path) -> {
            Set<String> both = new java.util.HashSet<>(asked);
            both.retainAll(path);
            return both;
        }));
        return new StreamFilter(merged, minSeverity, where, scopes);
    }

    public boolean isEmpty() {
        return keys.isEmpty() && minSeverity.isEmpty() && where == null && scopes.isEmpty();
    }

    /** Whether {@code channel}'s events are narrowed by a record policy for this connection. */
    public boolean scoped(Channel channel) {
        return scopes.containsKey(channel);
    }

    /** A hub event (live, ring or conflated), whose value and policy verdict are shared by every connection. */
    public boolean accepts(ChannelEvent event) {
        if (this == NONE) {
            return true; // the usual connection: no lookups per event
        }
        PolicyScope scope = scopes.get(event.channel());
        return (scope == null || scope.allows(event))
                && asked(event.channel(), event.key(), event.severity(), event.value());
    }

    /** A record replayed from Kafka for this connection alone. */
    public boolean accepts(ChannelRecord record) {
        if (this == NONE) {
            return true;
        }
        PolicyScope scope = scopes.get(record.channel());
        if (scope != null && !scope.allows(record)) {
            return false;
        }
        EventValue value = where == null || record.tombstone() ? EventValue.ABSENT
                : EventValue.ofJson(record.body(), record.valueOffset(), record.valueLength());
        return asked(record.channel(), record.key(), record.severity(), value);
    }

    /** A snapshot entry of {@code channel}: a key's latest value. */
    public boolean accepts(Channel channel, StateEntry entry) {
        if (this == NONE) {
            return true;
        }
        PolicyScope scope = scopes.get(channel);
        return (scope == null || scope.allows(entry)) && asked(channel, entry.key(), entry.severity(), entry.value());
    }

    /**
     * What the client asked for: key, severity and {@code where}.
     *
     * @param value the record value, {@link EventValue#ABSENT} for a tombstone
     */
    private boolean asked(Channel channel, String key, int severity, EventValue value) {
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
