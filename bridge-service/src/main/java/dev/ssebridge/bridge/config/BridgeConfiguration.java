package dev.ssebridge.bridge.config;

import dev.ssebridge.bridge.channel.Channel;
import dev.ssebridge.bridge.channel.ChannelTag;
import dev.ssebridge.bridge.channel.Channels;
import dev.ssebridge.bridge.cursor.CursorCodec;
import dev.ssebridge.bridge.hub.ChannelHubs;
import dev.ssebridge.bridge.kafka.KafkaClients;
import dev.ssebridge.bridge.kafka.TailLifecycle;
import dev.ssebridge.bridge.stream.ConnectionRegistry;
import dev.ssebridge.bridge.stream.ConnectionStreams;
import dev.ssebridge.bridge.stream.PingTicker;
import dev.ssebridge.bridge.stream.StreamShutdown;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires the data path: channels → Kafka tails → hubs → connections. */
@Configuration(proxyBeanMethods = false)
class BridgeConfiguration {

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    Channels channels(BridgeProperties properties) {
        return new Channels(properties.channels().entrySet().stream()
                .map(e -> new Channel(e.getKey(), e.getValue().topic(), e.getValue().eventName(),
                        ChannelTag.of(e.getKey())))
                .toList());
    }

    @Bean
    CursorCodec cursorCodec(Channels channels) {
        return new CursorCodec(channels);
    }

    @Bean
    ChannelHubs channelHubs(Channels channels, CursorCodec codec) {
        return new ChannelHubs(channels, codec);
    }

    @Bean
    KafkaClients kafkaClients(BridgeProperties properties) {
        return new KafkaClients(properties.kafka());
    }

    @Bean
    TailLifecycle tailLifecycle(ChannelHubs hubs, KafkaClients clients, BridgeProperties properties) {
        return new TailLifecycle(hubs, clients, properties);
    }

    @Bean
    ConnectionRegistry connectionRegistry() {
        return new ConnectionRegistry();
    }

    @Bean
    ConnectionStreams connectionStreams(ChannelHubs hubs, ConnectionRegistry registry, CursorCodec codec,
                                        BridgeProperties properties, Clock clock) {
        return new ConnectionStreams(hubs, registry, codec, properties.stream(), clock);
    }

    @Bean
    PingTicker pingTicker(ConnectionRegistry registry, BridgeProperties properties, Clock clock) {
        return new PingTicker(registry, properties.stream().pingInterval(), clock);
    }

    @Bean
    StreamShutdown streamShutdown(ConnectionRegistry registry) {
        return new StreamShutdown(registry);
    }
}
