package dev.ssebridge.bridge.hub;

import dev.ssebridge.bridge.channel.Channel;
import dev.ssebridge.bridge.channel.Channels;
import dev.ssebridge.bridge.cursor.CursorCodec;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/** The hub of every configured channel. */
public final class ChannelHubs {

    private final Map<String, ChannelHub> byChannel = new LinkedHashMap<>();

    ChannelHubs(Channels channels, CursorCodec codec, int ringEvents, long ringBytes) {
        for (Channel channel : channels.all()) {
            byChannel.put(channel.name(), new ChannelHub(channel, codec, ringEvents, ringBytes));
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
