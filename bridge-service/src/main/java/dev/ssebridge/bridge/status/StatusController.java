package dev.ssebridge.bridge.status;

import dev.ssebridge.bridge.admission.TcpConnections;
import dev.ssebridge.bridge.channel.Channel;
import dev.ssebridge.bridge.config.BridgeProperties;
import dev.ssebridge.bridge.connection.ConnectionRegistry;
import dev.ssebridge.bridge.frame.SkipReason;
import dev.ssebridge.bridge.hub.ChannelHub;
import dev.ssebridge.bridge.hub.ChannelHubs;
import dev.ssebridge.bridge.kafka.FamilyTails;
import dev.ssebridge.bridge.kafka.KafkaMonitor;
import dev.ssebridge.bridge.kafka.KafkaReplayReader;
import dev.ssebridge.bridge.kafka.TailLifecycle;
import dev.ssebridge.bridge.kafka.TailStatus;
import dev.ssebridge.bridge.kafka.TopicIdentity;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/v1/sse/status}: connections per channel and what each channel's tail has done; per family of
 * topics, what its tails stand at.
 */
@Tag(name = "status", description = "What the bridge is doing")
@RestController
class StatusController {

    private final ChannelHubs hubs;
    private final ConnectionRegistry registry;
    private final KafkaReplayReader replay;
    private final KafkaMonitor monitor;
    private final ThroughputSampler throughput;
    private final TailLifecycle tails;
    private final Map<String, BridgeProperties.ChannelProperties> settings;
    private final TcpConnections tcp;
    private final long headerTimeoutMillis;
    private final FamilyTails familyTails;
    private final Map<String, BridgeProperties.FamilyProperties> familyTopics;

    StatusController(ChannelHubs hubs, ConnectionRegistry registry, KafkaReplayReader replay, KafkaMonitor monitor,
                     ThroughputSampler throughput, TailLifecycle tails, BridgeProperties properties,
                     TcpConnections tcp, FamilyTails familyTails) {
        this.familyTails = familyTails;
        this.familyTopics = properties.families();
        this.settings = properties.channels();
        this.tcp = tcp;
        this.headerTimeoutMillis = properties.admission().headerTimeout().toMillis();
        this.hubs = hubs;
        this.registry = registry;
        this.replay = replay;
        this.monitor = monitor;
        this.throughput = throughput;
        this.tails = tails;
    }

    private static StatusResponse.Snapshot snapshot(ChannelHub.StateFigures figures) {
        return figures == null ? null : new StatusResponse.Snapshot(figures.keys(), figures.bytes(),
                figures.evictedKeys(), figures.snapshotsServed(), figures.ready());
    }

    @Operation(summary = "Connections per channel and what each channel's Kafka tail is doing",
            description = "The seed's shape (status, total_connections, channels.*.connection_count and clients) "
                    + "plus the instance's TCP connections (open, awaiting their request, limits, refusals) and per channel the "
                    + "topic and its value format, its snapshot state and conflation policy, partitions with positions and "
                    + "lag, rates, skipped records, replays.")
    @GetMapping(path = "/api/v1/sse/status", produces = "application/json")
    StatusResponse status() {
        Map<String, StatusResponse.ChannelStatus> channels = new LinkedHashMap<>();
        for (ChannelHub hub : hubs.all()) {
            Channel channel = hub.channel();
            var clients = registry.clientsOf(channel);
            Map<String, Long> skipped = new LinkedHashMap<>();
            for (SkipReason reason : SkipReason.values()) {
                skipped.put(reason.label(), hub.counters().skippedCount(reason));
            }
            long[] ring = hub.ringSize();
            long[] positions = hub.positions();
            long[] ends = monitor.endOffsets(channel);
            List<StatusResponse.PartitionStatus> partitions = new ArrayList<>();
            Long totalLag = positions == null || ends == null ? null : 0L;
            int count = Math.max(positions == null ? 0 : positions.length, ends == null ? 0 : ends.length);
            for (int p = 0; p < count; p++) {
                Long position = positions != null && p < positions.length ? positions[p] : null;
                Long end = ends != null && p < ends.length ? ends[p] : null;
                Long lag = position == null || end == null ? null : Math.max(0, end - position);
                partitions.add(new StatusResponse.PartitionStatus(p, position, end, lag));
                if (totalLag != null) {
                    totalLag = lag == null ? null : totalLag + lag;
                }
            }
            TailStatus tail = tails.status(channel);
            TopicIdentity topic = tails.topic(channel);
            channels.put(channel.name(), new StatusResponse.ChannelStatus(
                    clients.size(), clients, channel.topic(), monitor.clusterOf(channel), topic.id(),
                    topic.recreatedAt() == null ? null : topic.recreatedAt().toString(),
                    settings.get(channel.name()).valueFormat().label(), tail.state().label(), tail.reason(),
                    tail.nextAttempt() == null ? null : tail.nextAttempt().toString(), partitions, totalLag,
                    Math.round(throughput.eventsPerSecond(channel) * 100) / 100.0, hub.counters().publishedCount(), skipped,
                    new StatusResponse.Replays(hub.counters().replaysFromRing(), hub.counters().replaysFromKafka()),
                    new StatusResponse.Ring(ring[0], ring[1]), snapshot(hub.stateFigures()),
                    settings.get(channel.name()).conflation().allowed() ? "allowed" : "forbidden"));
        }
        Map<String, StatusResponse.Kafka> clusters = new LinkedHashMap<>();
        if (monitor.clusters().size() > 1) {
            monitor.clusters().forEach(name -> clusters.put(name, kafka(monitor.health(name))));
        }
        return new StatusResponse(registry.isClosing() ? "shutting_down" : "active", registry.count(),
                replay.openConsumers(), kafka(monitor.health()), clusters, connections(), channels, families());
    }

    private static StatusResponse.Kafka kafka(KafkaMonitor.KafkaHealth health) {
        String kafkaStatus = health.refused() ? "refused"
                : health.lastCheck() == null ? "unknown" : health.up() ? "up" : "down";
        return new StatusResponse.Kafka(kafkaStatus, health.since().toString(),
                health.lastCheck() == null ? null : health.lastCheck().toString(), health.error(),
                health.refused() ? health.nextAttempt().toString() : null);
    }

    private Map<String, StatusResponse.FamilyStatus> families() {
        Map<String, StatusResponse.FamilyStatus> families = new LinkedHashMap<>();
        for (FamilyTails.FamilyFigures f : familyTails.figures()) {
            families.put(f.family(), new StatusResponse.FamilyStatus(familyTopics.get(f.family()).topic(), f.running(),
                    f.maxTopics(), f.subscribers(), f.ringBytes(), f.started(), f.stopped(), f.refusedFull(),
                    f.notServed()));
        }
        return families;
    }

    private StatusResponse.Connections connections() {
        Map<String, Long> refused = new LinkedHashMap<>();
        for (TcpConnections.Refusal reason : TcpConnections.Refusal.values()) {
            refused.put(reason.label(), tcp.refusedCount(reason));
        }
        String degraded = tcp.degradedReason();
        return new StatusResponse.Connections(tcp.open(), tcp.awaitingRequest(), tcp.limit(), tcp.reserve(),
                tcp.perAddressLimit(), tcp.awaitingPerAddressLimit(), headerTimeoutMillis, degraded == null ? "ok" : "degraded", degraded, refused);
    }
}
