package dev.ssebridge.bridge.request;

import dev.ssebridge.bridge.channel.Channel;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a stream path addresses: its channels, the path's parameters (which record policies read as {@code params}),
 * and the keys the path itself narrows a channel to (a route whose parameter is the record key).
 */
public record StreamTarget(List<Channel> channels, Map<String, String> params, Map<Channel, Set<String>> keys) {

    /** Channels addressed by name: no path parameter, no key. */
    public static StreamTarget of(List<Channel> channels) {
        return new StreamTarget(channels, Map.of(), Map.of());
    }
}
