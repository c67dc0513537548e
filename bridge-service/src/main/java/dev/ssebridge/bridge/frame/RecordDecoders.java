package dev.ssebridge.bridge.frame;

import dev.ssebridge.bridge.channel.Channel;
import dev.ssebridge.bridge.channel.Channels;
import dev.ssebridge.bridge.config.BridgeProperties;
import dev.ssebridge.bridge.config.PayloadFormat;
import dev.ssebridge.bridge.schema.PayloadDecoder;
import dev.ssebridge.bridge.schema.SchemaDecoders;
import java.util.HashMap;
import java.util.Map;

/**
 * The record decoder of each channel; shared by the tail and the replays of the channel. Family members' values
 * are JSON: a decoder is made for each member as asked for (a handful of fields, no schema).
 */
public final class RecordDecoders {

    private final Map<String, RecordDecoder> byChannel = new HashMap<>();
    private final int maxRecordSize;

    /**
     * @throws IllegalArgumentException when a channel's schema file cannot be used; the message names the
     *                                  channel, and the application does not start
     */
    RecordDecoders(Channels channels, BridgeProperties properties) {
        int max = (int) Math.min(Integer.MAX_VALUE, properties.kafka().maxRecordSize().toBytes());
        this.maxRecordSize = max;
        // One registry client and its schema caches per cluster: schema ids are a registry's own.
        Map<String, SchemaDecoders> byCluster = new HashMap<>();
        for (Channel channel : channels.all()) {
            BridgeProperties.ChannelProperties settings = properties.channels().get(channel.name());
            SchemaDecoders schemas = byCluster.computeIfAbsent(BridgeProperties.clusterName(settings.cluster()),
                    cluster -> new SchemaDecoders(properties.cluster(cluster).schemaRegistry()));
            try {
                PayloadDecoder values = settings.valueFormat() == PayloadFormat.JSON ? null
                        : schemas.decoder(settings.valueFormat(), settings.schemaFile(), settings.protobufMessage());
                PayloadDecoder keys = settings.keyFormat() == PayloadFormat.STRING ? null
                        : schemas.decoder(settings.keyFormat(), null, null);
                byChannel.put(channel.name(), new RecordDecoder(channel, max, values, keys));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("bridge.channels." + channel.name() + ": " + e.getMessage(), e);
            }
        }
    }

    public RecordDecoder of(Channel channel) {
        return channel.isMember() ? new RecordDecoder(channel, maxRecordSize, null, null) : byChannel.get(channel.name());
    }
}
