package dev.ssebridge.bridge.connection;

import dev.ssebridge.bridge.channel.Channel;
import dev.ssebridge.bridge.conflation.ConflationPolicy;
import java.util.Map;
import java.util.Set;

/**
 * What a stream asks for beyond its start and filters.
 *
 * @param snapshot   channels that start with their snapshot (the latest value of every key) and {@code snapshot_end}
 *                   instead of a replay or a live start
 * @param conflation per channel that may be conflated, how (channels absent here never are)
 */
public record StreamOptions(Set<Channel> snapshot, Map<Channel, ConflationPolicy> conflation) {

    public static final StreamOptions NONE = new StreamOptions(Set.of(), Map.of());
}
