package dev.ssebridge.bridge.status;

import dev.ssebridge.bridge.admission.TcpConnections;
import dev.ssebridge.bridge.channel.Channels;
import dev.ssebridge.bridge.config.BridgeProperties;
import dev.ssebridge.bridge.connection.ConnectionRegistry;
import dev.ssebridge.bridge.hub.ChannelHubs;
import dev.ssebridge.bridge.kafka.FamilyTails;
import dev.ssebridge.bridge.kafka.KafkaMonitor;
import dev.ssebridge.bridge.kafka.KafkaReplayReader;
import dev.ssebridge.bridge.kafka.TailLifecycle;
import dev.ssebridge.bridge.lifecycle.PeriodicTask;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Health, metrics and throughput sampling. */
@Configuration(proxyBeanMethods = false)
class StatusConfiguration {

    @Bean
    ThroughputSampler throughputSampler(ChannelHubs hubs) {
        return new ThroughputSampler(hubs);
    }

    @Bean
    PeriodicTask throughputSampling(ThroughputSampler sampler, BridgeProperties properties) {
        return new PeriodicTask("throughput-sampler", properties.kafka().monitorInterval(), sampler::sample);
    }

    @Bean("kafka")
    KafkaHealthIndicator kafkaHealthIndicator(KafkaMonitor monitor, Channels channels, TailLifecycle tails) {
        return new KafkaHealthIndicator(monitor, channels, tails);
    }

    @Bean("schemaRegistry")
    SchemaRegistryHealthIndicator schemaRegistryHealthIndicator(Channels channels, TailLifecycle tails,
                                                                BridgeProperties properties) {
        return new SchemaRegistryHealthIndicator(channels, tails, properties.anyRegistry());
    }

    @Bean("connections")
    TcpConnectionsHealthIndicator tcpConnectionsHealthIndicator(TcpConnections tcp) {
        return new TcpConnectionsHealthIndicator(tcp);
    }

    @Bean
    BridgeMetrics bridgeMetrics(ChannelHubs hubs, ConnectionRegistry connections, KafkaMonitor monitor,
                                KafkaReplayReader replay, FamilyTails familyTails) {
        return new BridgeMetrics(hubs, connections, monitor, replay, familyTails);
    }

    @Bean
    ResidentMemory residentMemory() {
        return new ResidentMemory();
    }
}
