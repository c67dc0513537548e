package dev.ssebridge.bridge.frame;

import dev.ssebridge.bridge.channel.Channel;
import dev.ssebridge.bridge.channel.Channels;
import java.util.HashMap;
import java.util.Map;

/** The record decoder of each channel; shared by the tail and the replays of the channel. */
public final class RecordDecoders {

    private final Map<String, RecordDecoder> byChannel = new HashMap<>();

    RecordDecoders(Channels channels, long maxRecordBytes) {
        int max = (int) Math.min(Integer.MAX_VALUE, maxRecordBytes);
        for (Channel channel : channels.all()) {
            byChannel.put(channel.name(), new RecordDecoder(channel, max));
        }
    }

    public RecordDecoder of(Channel channel) {
        return byChannel.get(channel.name());
    }
}
