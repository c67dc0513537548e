package dev.ssebridge.bridge.hub;

import dev.ssebridge.bridge.channel.Channel;
import dev.ssebridge.bridge.channel.Channels;
import dev.ssebridge.bridge.config.BridgeProperties;
import dev.ssebridge.bridge.cursor.CursorCodec;
import dev.ssebridge.bridge.state.KeyedState;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The hub of every configured channel, made at start, and of every family member whose tail runs, made and
 * forgotten by that tail's owner ({@code kafka.FamilyTails}).
 */
public final class ChannelHubs {

    private final Map<String, ChannelHub> byChannel = new LinkedHashMap<>();
    private final Map<String, ChannelHub> members = new ConcurrentHashMap<>();
    private final CursorCodec codec;

    ChannelHubs(Channels channels, CursorCodec codec, BridgeProperties properties) {
        this.codec = codec;
        int ringEvents = properties.ring().maxEvents();
        long ringBytes = properties.ring().maxBytes().toBytes();
        for (Channel channel : channels.all()) {
            BridgeProperties.SnapshotProperties snapshot = properties.channels().get(channel.name()).snapshot();
            KeyedState state = snapshot.enabled()
                    ? new KeyedState(snapshot.maxKeys(), snapshot.maxBytes().toBytes()) : null;
            byChannel.put(channel.name(), new ChannelHub(channel, codec, ringEvents, ringBytes, state));
        }
    }

    /** The channel's hub; a member's only while its tail runs. */
    public ChannelHub of(Channel channel) {
        ChannelHub hub = channel.isMember() ? members.get(channel.name()) : byChannel.get(channel.name());
        if (hub == null) {
            throw new IllegalArgumentException("no hub for channel " + channel.name());
        }
        return hub;
    }

    /** The channel's hub, or empty for a member whose tail has stopped. */
    public Optional<ChannelHub> find(Channel channel) {
        return Optional.ofNullable(channel.isMember() ? members.get(channel.name())
                : byChannel.get(channel.name()));
    }

    /** The hubs of the configured channels (members come and go: see {@link #member}). */
    public Collection<ChannelHub> all() {
        return byChannel.values();
    }

    /**
     * A new hub for a family member whose tail starts (members keep no state: their ring is their replay).
     *
     * @throws IllegalStateException when the member has one already (its owner starts each member once)
     */
    public ChannelHub member(Channel member, int ringEvents, long ringBytes) {
        ChannelHub hub = new ChannelHub(member, codec, ringEvents, ringBytes, null);
        if (members.putIfAbsent(member.name(), hub) != null) {
            throw new IllegalStateException("member " + member.name() + " has a hub already");
        }
        return hub;
    }

    /** Forgets a member whose tail stopped. */
    public void forget(Channel member) {
        members.remove(member.name());
    }
}
