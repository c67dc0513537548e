package dev.ssebridge.bridge.kafka;

import dev.ssebridge.bridge.channel.Channel;
import dev.ssebridge.bridge.channel.Channels;
import dev.ssebridge.bridge.config.BridgeProperties;
import dev.ssebridge.bridge.frame.RecordDecoders;
import dev.ssebridge.bridge.hub.ChannelHubs;
import dev.ssebridge.bridge.lifecycle.PeriodicTask;
import dev.ssebridge.bridge.policy.RecordPolicies;
import dev.ssebridge.bridge.trace.FanoutTracing;
import java.time.Clock;
import java.util.function.Predicate;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Everything that talks to Kafka: one tail per channel and per running family member, the replay reader, offset
 * look-ups and the monitor.
 * The only package that sees reactor-kafka and kafka-clients.
 */
@Configuration(proxyBeanMethods = false)
class KafkaConfiguration {

    @Bean
    RefusalBackoff refusalBackoff(BridgeProperties properties) {
        return new RefusalBackoff(properties.kafka().refusalRetry(), properties.kafka().refusalRetryMax());
    }

    /**
     * The clusters the channels read: per cluster its client settings, its one Admin client and whether it accepts
     * the bridge's credentials.
     */
    @Bean(destroyMethod = "close")
    KafkaClusters kafkaClusters(BridgeProperties properties, RefusalBackoff backoff, Clock clock) {
        return new KafkaClusters(properties, backoff, clock);
    }

    @Bean
    OffsetLookup offsetLookup(KafkaClusters clusters) {
        return new OffsetLookup(clusters);
    }

    @Bean
    TailFactory tailFactory(KafkaClusters clusters, RefusalBackoff backoff, RecordDecoders decoders,
                            BridgeProperties properties, Clock clock, RecordPolicies policies, FanoutTracing tracing) {
        return new TailFactory(clusters, backoff, decoders, properties.kafka().topicRetryInterval(), clock,
                keepsHeaders(policies), carriesTraceContext(properties), tracing);
    }

    @Bean
    TailLifecycle tailLifecycle(ChannelHubs hubs, TailFactory factory) {
        return new TailLifecycle(hubs, factory);
    }

    @Bean
    FamilyTails familyTails(Channels channels, BridgeProperties properties, ChannelHubs hubs, TailFactory factory) {
        return new FamilyTails(channels, properties.families(), hubs, factory, System::nanoTime);
    }

    @Bean
    FailedTails failedTails(TailLifecycle channels, FamilyTails members) {
        return new FailedTails(channels, members);
    }

    /** Stops the tails of family members idle for their timeout. */
    @Bean
    PeriodicTask familyTailsSweep(FamilyTails tails, BridgeProperties properties) {
        return new PeriodicTask("family-tails", FamilyTails.sweepInterval(properties.families()), tails::sweep);
    }

    @Bean(destroyMethod = "close")
    KafkaReplayReader kafkaReplayReader(KafkaClusters clusters, RecordDecoders decoders, BridgeProperties properties,
                                        RecordPolicies policies) {
        return new KafkaReplayReader(clusters, decoders, keepsHeaders(policies), carriesTraceContext(properties),
                properties.replay().idleTimeout(), properties.replay().maxThreads());
    }

    /** The channels (and families) configured with trace-context. */
    private static Predicate<Channel> carriesTraceContext(BridgeProperties properties) {
        return channel -> channel.isMember() ? properties.families().get(channel.family()).traceContext()
                : properties.channels().get(channel.name()).traceContext();
    }

    /** Records keep their headers only on channels whose policy reads them. */
    private static Predicate<Channel> keepsHeaders(RecordPolicies policies) {
        return channel -> policies.of(channel) != null && policies.of(channel).readsHeaders();
    }

    @Bean
    KafkaMonitor kafkaMonitor(ChannelHubs hubs, KafkaClusters clusters, BridgeProperties properties, Clock clock) {
        return new KafkaMonitor(hubs, clusters, properties.kafka().monitorInterval(), clock);
    }

    @Bean
    PeriodicTask kafkaMonitorTask(KafkaMonitor monitor, BridgeProperties properties) {
        return new PeriodicTask("kafka-monitor", properties.kafka().monitorInterval(), monitor::check);
    }
}
