package dev.ssebridge.bridge.connection;

import dev.ssebridge.bridge.channel.Channels;
import dev.ssebridge.bridge.config.BridgeProperties;
import dev.ssebridge.bridge.cursor.CursorCodec;
import dev.ssebridge.bridge.hub.ChannelHubs;
import dev.ssebridge.bridge.kafka.FailedTails;
import dev.ssebridge.bridge.kafka.KafkaReplayReader;
import dev.ssebridge.bridge.lifecycle.PeriodicTask;
import dev.ssebridge.bridge.policy.RecordPolicies;
import dev.ssebridge.bridge.start.StartResolver;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Open connections: their pipeline from replay or snapshot to live, pings, and shutdown. */
@Configuration(proxyBeanMethods = false)
class ConnectionConfiguration {

    @Bean
    ConnectionRegistry connectionRegistry() {
        return new ConnectionRegistry();
    }

    @Bean
    DeliveryMetrics deliveryMetrics(Channels channels, MeterRegistry registry) {
        return new DeliveryMetrics(channels, registry);
    }

    @Bean
    Keepalive keepalive(ConnectionRegistry registry, Clock clock) {
        return new Keepalive(registry, clock);
    }

    @Bean
    ConnectionStreams connectionStreams(ChannelHubs hubs, ConnectionRegistry registry, CursorCodec codec,
                                        StartResolver starts, KafkaReplayReader replay, BridgeProperties properties,
                                        DeliveryMetrics metrics, Clock clock, RecordPolicies policies,
                                        Keepalive keepalive, FailedTails failedTails) {
        return new ConnectionStreams(hubs, registry, codec, starts, replay, properties.stream(), metrics, clock,
                properties.replay().idleTimeout(), policies, keepalive, failedTails);
    }

    @Bean
    PeriodicTask pingTask(Keepalive keepalive, BridgeProperties properties) {
        return new PeriodicTask("sse-ping", Keepalive.tickPeriod(properties.stream().pingInterval()), keepalive::tick);
    }

    @Bean
    StreamShutdown streamShutdown(ConnectionRegistry registry) {
        return new StreamShutdown(registry);
    }
}
