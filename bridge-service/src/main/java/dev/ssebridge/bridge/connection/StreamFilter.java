package dev.ssebridge.bridge.connection;

import dev.ssebridge.bridge.channel.Channel;
import java.util.Map;
import java.util.Set;

/**
 * Which events of each channel a connection wants: by Kafka key and by minimum severity. Applied to live
 * and replayed events alike; an event filtered out still moves the connection's position on, so resume
 * stays exact.
 *
 * @param keys        per channel the accepted keys; a channel absent here accepts any key
 * @param minSeverity per channel the lowest accepted severity rank; absent: any
 */
public record StreamFilter(Map<Channel, Set<String>> keys, Map<Channel, Integer> minSeverity) {

    public static final StreamFilter NONE = new StreamFilter(Map.of(), Map.of());

    public boolean isEmpty() {
        return keys.isEmpty() && minSeverity.isEmpty();
    }

    public boolean accepts(Channel channel, String key, int severity) {
        if (this == NONE) {
            return true; // the usual connection: no lookups per event
        }
        Set<String> accepted = keys.get(channel);
        if (accepted != null && (key == null || !accepted.contains(key))) {
            return false;
        }
        Integer min = minSeverity.get(channel);
        return min == null || severity >= min;
    }
}
