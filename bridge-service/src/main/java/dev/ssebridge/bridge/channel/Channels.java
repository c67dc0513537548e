package dev.ssebridge.bridge.channel;

import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The configured channels, by name and by cursor tag, and the families of topics whose members are channels made on
 * demand ({@link ChannelFamily}). Immutable.
 */
public final class Channels {

    private final Map<String, Channel> byName;
    private final Map<Integer, Channel> byTag = new HashMap<>();
    private final Map<String, ChannelFamily> families;
    private final Map<Integer, ChannelFamily> familiesByTag = new HashMap<>();

    public Channels(Collection<Channel> channels, Collection<ChannelFamily> families) {
        Map<String, Channel> names = new LinkedHashMap<>();
        for (Channel channel : channels) {
            claimTag(channel.tag(), channel.name());
            byTag.put(channel.tag(), channel);
            names.put(channel.name(), channel);
        }
        Map<String, ChannelFamily> familyNames = new LinkedHashMap<>();
        for (ChannelFamily family : families) {
            claimTag(family.tag(), family.name());
            familiesByTag.put(family.tag(), family);
            familyNames.put(family.name(), family);
        }
        this.byName = Collections.unmodifiableMap(names);
        this.families = Collections.unmodifiableMap(familyNames);
    }

    /** A cursor tag is a channel's or a family's, never both's; the last tag value marks a family member in cursors. */
    private void claimTag(int tag, String name) {
        Channel channel = byTag.get(tag);
        ChannelFamily family = familiesByTag.get(tag);
        String clash = channel != null ? channel.name() : family != null ? family.name() : null;
        if (clash != null) {
            throw new IllegalArgumentException(name + " and " + clash + " have the same cursor tag; rename one of them");
        }
        if (tag == ChannelTag.MEMBER) {
            throw new IllegalArgumentException(name + " has the cursor tag reserved for family members; rename it");
        }
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

    /** The configured channels (no family member). */
    public Collection<Channel> all() {
        return byName.values();
    }

    public Collection<String> names() {
        return byName.keySet();
    }

    public Optional<ChannelFamily> family(String name) {
        return Optional.ofNullable(families.get(name));
    }

    public Optional<ChannelFamily> familyByTag(int tag) {
        return Optional.ofNullable(familiesByTag.get(tag));
    }

    public Collection<ChannelFamily> families() {
        return families.values();
    }
}
