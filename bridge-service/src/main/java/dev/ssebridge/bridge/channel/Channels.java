package dev.ssebridge.bridge.channel;

import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** The configured channels, by name and by cursor tag. Immutable. */
public final class Channels {

    private final Map<String, Channel> byName;
    private final Map<Integer, Channel> byTag = new HashMap<>();

    public Channels(Collection<Channel> channels) {
        Map<String, Channel> names = new LinkedHashMap<>();
        for (Channel channel : channels) {
            Channel clash = byTag.putIfAbsent(channel.tag(), channel);
            if (clash != null) {
                throw new IllegalArgumentException("bridge.channels." + channel.name() + " and bridge.channels."
                        + clash.name() + " have the same cursor tag; rename one of them");
            }
            names.put(channel.name(), channel);
        }
        this.byName = Collections.unmodifiableMap(names);
    }

    public Optional<Channel> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /** The channel called {@code name}, or {@link UnknownChannelException}. */
    public Channel require(String name) {
        Channel channel = byName.get(name);
        if (channel == null) {
            throw new UnknownChannelException(name, byName.keySet());
        }
        return channel;
    }

    public Optional<Channel> byTag(int tag) {
        return Optional.ofNullable(byTag.get(tag));
    }

    public Collection<Channel> all() {
        return byName.values();
    }

    public Collection<String> names() {
        return byName.keySet();
    }
}
