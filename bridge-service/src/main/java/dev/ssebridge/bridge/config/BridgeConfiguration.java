package dev.ssebridge.bridge.config;

import dev.ssebridge.bridge.channel.Channel;
import dev.ssebridge.bridge.channel.ChannelTag;
import dev.ssebridge.bridge.channel.Channels;
import dev.ssebridge.bridge.cursor.CursorCodec;
import dev.ssebridge.bridge.event.RecordDecoders;
import dev.ssebridge.bridge.hub.ChannelHubs;
import dev.ssebridge.bridge.kafka.KafkaClients;
import dev.ssebridge.bridge.kafka.KafkaMonitor;
import dev.ssebridge.bridge.kafka.KafkaReplayReader;
import dev.ssebridge.bridge.kafka.OffsetLookup;
import dev.ssebridge.bridge.kafka.TailLifecycle;
import dev.ssebridge.bridge.lifecycle.PeriodicTask;
import dev.ssebridge.bridge.replay.StartResolver;
import dev.ssebridge.bridge.stream.ConnectionRegistry;
import dev.ssebridge.bridge.stream.ConnectionStreams;
import dev.ssebridge.bridge.stream.DeliveryMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import dev.ssebridge.bridge.stream.PingTicker;
import dev.ssebridge.bridge.stream.StreamShutdown;
import java.time.Clock;
import org.apache.kafka.clients.admin.Admin;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires the data path: channels → Kafka tails → hubs → connections. */
@Configuration(proxyBeanMethods = false)
class BridgeConfiguration {

    @Bean
    StreamObservations streamObservations() {
        return new StreamObservations();
    }

    @Bean
    AcceptBacklog acceptBacklog(BridgeProperties properties) {
        return new AcceptBacklog(properties.stream().acceptBacklog());
    }

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    Channels channels(BridgeProperties properties) {
        return new Channels(properties.channels().entrySet().stream()
                .map(e -> new Channel(e.getKey(), e.getValue().topic(), e.getValue().eventName(),
                        ChannelTag.of(e.getKey()), e.getValue().keyParameter(), e.getValue().severityField()))
                .toList());
    }

    @Bean
    CursorCodec cursorCodec(Channels channels) {
        return new CursorCodec(channels);
    }

    @Bean
    ChannelHubs channelHubs(Channels channels, CursorCodec codec, BridgeProperties properties) {
        return new ChannelHubs(channels, codec, properties.ring().maxEvents(), properties.ring().maxBytes().toBytes());
    }

    @Bean
    RecordDecoders recordDecoders(Channels channels, BridgeProperties properties) {
        return new RecordDecoders(channels, properties.kafka().maxRecordSize().toBytes());
    }

    @Bean
    KafkaClients kafkaClients(BridgeProperties properties) {
        return new KafkaClients(properties.kafka());
    }

    /** One Admin client for the instance: topic descriptions and offset look-ups. */
    @Bean(destroyMethod = "close")
    Admin kafkaAdmin(KafkaClients clients) {
        return clients.admin();
    }

    @Bean
    OffsetLookup offsetLookup(Admin admin) {
        return new OffsetLookup(admin);
    }

    @Bean
    TailLifecycle tailLifecycle(ChannelHubs hubs, KafkaClients clients, Admin admin, RecordDecoders decoders,
                                BridgeProperties properties) {
        return new TailLifecycle(hubs, clients, admin, decoders, properties.kafka().topicRetryInterval());
    }

    @Bean(destroyMethod = "close")
    KafkaReplayReader kafkaReplayReader(KafkaClients clients, RecordDecoders decoders, BridgeProperties properties) {
        return new KafkaReplayReader(clients, decoders, properties.replay().idleTimeout(), properties.replay().maxThreads());
    }

    @Bean
    StartResolver startResolver(ChannelHubs hubs, OffsetLookup offsets, BridgeProperties properties) {
        return new StartResolver(hubs, offsets, properties.replay().idleTimeout());
    }

    @Bean
    ConnectionRegistry connectionRegistry() {
        return new ConnectionRegistry();
    }

    @Bean
    KafkaMonitor kafkaMonitor(ChannelHubs hubs, Admin admin, BridgeProperties properties, Clock clock) {
        return new KafkaMonitor(hubs, admin, properties.kafka().monitorInterval(), clock);
    }

    @Bean
    PeriodicTask kafkaMonitorTask(KafkaMonitor monitor, BridgeProperties properties) {
        return new PeriodicTask("kafka-monitor", properties.kafka().monitorInterval(), monitor::check);
    }

    @Bean
    DeliveryMetrics deliveryMetrics(Channels channels, MeterRegistry registry) {
        return new DeliveryMetrics(channels, registry);
    }

    @Bean
    ConnectionStreams connectionStreams(ChannelHubs hubs, ConnectionRegistry registry, CursorCodec codec,
                                        StartResolver starts, KafkaReplayReader replay, BridgeProperties properties,
                                        DeliveryMetrics metrics, Clock clock) {
        return new ConnectionStreams(hubs, registry, codec, starts, replay, properties.stream(), metrics, clock);
    }

    @Bean
    PeriodicTask pingTask(ConnectionRegistry registry, BridgeProperties properties, Clock clock) {
        return new PeriodicTask("sse-ping", properties.stream().pingInterval(), new PingTicker(registry, clock)::tick);
    }

    @Bean
    StreamShutdown streamShutdown(ConnectionRegistry registry) {
        return new StreamShutdown(registry);
    }
}
