package dev.ssebridge.bridge.kafka;

import dev.ssebridge.bridge.channel.Channel;
import dev.ssebridge.bridge.frame.RecordDecoders;
import dev.ssebridge.bridge.hub.ChannelHub;
import dev.ssebridge.bridge.trace.FanoutTracing;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Predicate;

/**
 * What every {@link TopicTail} is made of beside its channel and hub: the configured channels' tails
 * ({@link TailLifecycle}) and the family members' ({@link FamilyTails}) are made alike.
 *
 * @param keepsHeaders whether a channel's records keep their headers (its policy reads them)
 * @param carriesTraceContext whether a channel's records carry their trace context to clients (trace-context)
 */
record TailFactory(KafkaClusters clusters, RefusalBackoff backoff, RecordDecoders decoders,
                   Duration retryInterval, Clock clock, Predicate<Channel> keepsHeaders,
                   Predicate<Channel> carriesTraceContext, FanoutTracing tracing) {

    /** A tail of {@code channel} publishing to {@code hub}, not started yet. */
    TopicTail tail(Channel channel, ChannelHub hub) {
        KafkaClusters.Cluster cluster = clusters.of(channel);
        return new TopicTail(channel, hub, cluster.clients(), cluster.access(), backoff, decoders.of(channel),
                retryInterval, clock,
                keepsHeaders.test(channel), carriesTraceContext.test(channel) ? tracing : null);
    }

    /** The admin client and refusal state of the cluster {@code channel}'s topic is on. */
    ClusterAccess access(Channel channel) {
        return clusters.of(channel).access();
    }
}
