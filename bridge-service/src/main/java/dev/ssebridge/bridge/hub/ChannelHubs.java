package dev.ssebridge.bridge.hub;

import dev.ssebridge.bridge.channel.Channel;
import dev.ssebridge.bridge.channel.Channels;
import dev.ssebridge.bridge.config.BridgeProperties;
import dev.ssebridge.bridge.cursor.CursorCodec;
import dev.ssebridge.bridge.state.KeyedState;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/** The hub of every configured channel. */
public final class ChannelHubs {

    private final Map<String, ChannelHub> byChannel = new LinkedHashMap<>();

    ChannelHubs(Channels channels, CursorCodec codec, BridgeProperties properties) {
        int ringEvents = properties.ring().maxEvents();
        long ringBytes = properties.ring().maxBytes().toBytes();
        for (Channel channel : channels.all()) {
            BridgeProperties.SnapshotProperties snapshot = properties.channels().get(channel.name()).snapshot();
            KeyedState state = snapshot.enabled()
                    ? new KeyedState(snapshot.maxKeys(), snapshot.maxBytes().toBytes()) : null;
            byChannel.put(channel.name(), new ChannelHub(channel, codec, ringEvents, ringBytes, state));
        }
    }

    public ChannelHub of(Channel channel) {
        ChannelHub hub = byChannel.get(channel.name());
        if (hub == null) {
            throw new IllegalArgumentException("no hub for channel " + channel.name());
        }
        return hub;
    }

    public Collection<ChannelHub> all() {
        return byChannel.values();
    }
}
