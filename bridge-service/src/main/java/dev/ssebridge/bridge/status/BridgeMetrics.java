package dev.ssebridge.bridge.status;

import dev.ssebridge.bridge.channel.Channel;
import dev.ssebridge.bridge.connection.ConnectionRegistry;
import dev.ssebridge.bridge.frame.SkipReason;
import dev.ssebridge.bridge.hub.ChannelHub;
import dev.ssebridge.bridge.hub.ChannelHubs;
import dev.ssebridge.bridge.hub.HubCounters;
import dev.ssebridge.bridge.kafka.FamilyTails;
import dev.ssebridge.bridge.kafka.KafkaMonitor;
import dev.ssebridge.bridge.kafka.KafkaReplayReader;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * The bridge's gauges and counters that are read from its components at scrape time (connections, lag,
 * replays, skipped records, Kafka reachability). Per-event figures are in {@code DeliveryMetrics}.
 * Tags are channel names and fixed words only: nothing from a client or a secret ends up in a metric.
 */
final class BridgeMetrics implements MeterBinder {

    private final ChannelHubs hubs;
    private final ConnectionRegistry connections;
    private final KafkaMonitor monitor;
    private final KafkaReplayReader replay;
    private final FamilyTails familyTails;

    BridgeMetrics(ChannelHubs hubs, ConnectionRegistry connections, KafkaMonitor monitor, KafkaReplayReader replay,
                  FamilyTails familyTails) {
        this.familyTails = familyTails;
        this.hubs = hubs;
        this.connections = connections;
        this.monitor = monitor;
        this.replay = replay;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (ChannelHub hub : hubs.all()) {
            Channel channel = hub.channel();
            Gauge.builder("ssebridge.connections", connections, c -> c.countOf(channel))
                    .description("Open SSE connections streaming this channel").tag("channel", channel.name())
                    .register(registry);
            Gauge.builder("ssebridge.consumer.lag", hub, h -> lag(channel, h))
                    .description("Records in Kafka the channel's tail has not read yet").tag("channel", channel.name())
                    .register(registry);
            FunctionCounter.builder("ssebridge.events.published", hub.counters(), HubCounters::publishedCount)
                    .description("Records the channel's tail read and fanned out").tag("channel", channel.name())
                    .register(registry);
            FunctionCounter.builder("ssebridge.replays", hub.counters(), HubCounters::replaysFromRing)
                    .description("Resumes and history queries").tags("channel", channel.name(), "source", "ring")
                    .register(registry);
            FunctionCounter.builder("ssebridge.replays", hub.counters(), HubCounters::replaysFromKafka)
                    .description("Resumes and history queries").tags("channel", channel.name(), "source", "kafka")
                    .register(registry);
            if (hub.keepsState()) {
                Gauge.builder("ssebridge.state.keys", hub, h -> h.stateFigures().keys())
                        .description("Keys whose latest value the channel keeps for snapshots")
                        .tag("channel", channel.name()).register(registry);
                Gauge.builder("ssebridge.state.bytes", hub, h -> h.stateFigures().bytes())
                        .description("Bytes of the latest values the channel keeps for snapshots").baseUnit("bytes")
                        .tag("channel", channel.name()).register(registry);
                FunctionCounter.builder("ssebridge.state.evicted.keys", hub, h -> h.stateFigures().evictedKeys())
                        .description("Keys dropped from the channel's state by its bounds (snapshots say truncated)")
                        .tag("channel", channel.name()).register(registry);
                FunctionCounter.builder("ssebridge.snapshots.served", hub.counters(), HubCounters::snapshotsServed)
                        .description("Streams that started with the channel's snapshot")
                        .tag("channel", channel.name()).register(registry);
            }
            for (SkipReason reason : SkipReason.values()) {
                FunctionCounter.builder("ssebridge.records.skipped", hub.counters(), c -> c.skippedCount(reason))
                        .description("Records not delivered").tags("channel", channel.name(), "reason", reason.label())
                        .register(registry);
            }
        }
        Gauge.builder("ssebridge.replay.consumers.open", replay, KafkaReplayReader::openConsumers)
                .description("Short-lived Kafka consumers replaying for clients now").register(registry);
        FunctionCounter.builder("ssebridge.replay.consumers.created", replay, KafkaReplayReader::consumersCreated)
                .description("Short-lived Kafka consumers opened for replays since start").register(registry);
        FunctionCounter.builder("ssebridge.replays.abandoned", replay, KafkaReplayReader::abandoned)
                .description("Replays from Kafka whose client left before they finished").register(registry);
        for (String cluster : monitor.clusters()) {
            Gauge.builder("ssebridge.kafka.up", monitor, m -> m.health(cluster).up() ? 1 : 0)
                    .description("1 when the Kafka cluster answered the last check (and accepts the bridge)")
                    .tag("cluster", cluster)
                    .register(registry);
        }
        for (FamilyTails.FamilyFigures family : familyTails.figures()) {
            bindFamily(registry, family.family());
        }
    }

    /** A family's figures, tagged with its name only: never a member's topic (a flood of names would grow them). */
    private void bindFamily(MeterRegistry registry, String family) {
        Gauge.builder("ssebridge.family.tails", familyTails, t -> t.figures(family).running())
                .description("Topics of the family whose tail runs now").tag("family", family).register(registry);
        Gauge.builder("ssebridge.family.ring.bytes", familyTails, t -> t.figures(family).ringBytes())
                .description("Bytes in the rings of the family's running tails").baseUnit("bytes")
                .tag("family", family).register(registry);
        FunctionCounter.builder("ssebridge.family.tails.started", familyTails, t -> t.figures(family).started())
                .description("Tails started for a topic's first stream").tag("family", family).register(registry);
        FunctionCounter.builder("ssebridge.family.tails.stopped", familyTails, t -> t.figures(family).stopped())
                .description("Tails stopped after their idle timeout").tag("family", family).register(registry);
        FunctionCounter.builder("ssebridge.family.streams.refused", familyTails, t -> t.figures(family).refusedFull())
                .description("Streams refused for a topic of the family").tags("family", family, "reason", "full")
                .register(registry);
        FunctionCounter.builder("ssebridge.family.streams.refused", familyTails, t -> t.figures(family).notServed())
                .description("Streams refused for a topic of the family")
                .tags("family", family, "reason", "not_served").register(registry);
    }

    /** Sum over partitions of end offset minus the tail's position; NaN before both are known. */
    double lag(Channel channel, ChannelHub hub) {
        long[] ends = monitor.endOffsets(channel);
        long[] positions = hub.positions();
        if (ends == null || positions == null) {
            return Double.NaN;
        }
        long lag = 0;
        for (int p = 0; p < ends.length; p++) {
            lag += Math.max(0, ends[p] - (p < positions.length ? positions[p] : 0));
        }
        return lag;
    }
}
