package dev.ssebridge.bridge.status;

import dev.ssebridge.bridge.channel.Channel;
import dev.ssebridge.bridge.event.SkipReason;
import dev.ssebridge.bridge.hub.ChannelHub;
import dev.ssebridge.bridge.hub.ChannelHubs;
import dev.ssebridge.bridge.kafka.KafkaReplayReader;
import dev.ssebridge.bridge.stream.ConnectionRegistry;
import java.util.LinkedHashMap;
import java.util.Map;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /api/v1/sse/status}: connections per channel and what each channel's tail has done. */
@Tag(name = "status", description = "What the bridge is doing")
@RestController
class StatusController {

    private final ChannelHubs hubs;
    private final ConnectionRegistry registry;
    private final KafkaReplayReader replay;

    StatusController(ChannelHubs hubs, ConnectionRegistry registry, KafkaReplayReader replay) {
        this.hubs = hubs;
        this.registry = registry;
        this.replay = replay;
    }

    @Operation(summary = "Connections per channel and what each channel's Kafka tail is doing",
            description = "The seed's shape (status, total_connections, channels.*.connection_count and clients) "
                    + "plus per channel the topic, partitions with positions and lag, rates, skipped records, replays.")
    @GetMapping(path = "/api/v1/sse/status", produces = "application/json")
    StatusResponse status() {
        Map<String, StatusResponse.ChannelStatus> channels = new LinkedHashMap<>();
        for (ChannelHub hub : hubs.all()) {
            Channel channel = hub.channel();
            var clients = registry.clientsOf(channel);
            Map<String, Long> skipped = new LinkedHashMap<>();
            for (SkipReason reason : SkipReason.values()) {
                skipped.put(reason.label(), hub.skippedCount(reason));
            }
            long[] ring = hub.ringSize();
            channels.put(channel.name(), new StatusResponse.ChannelStatus(
                    clients.size(), clients, channel.topic(), hub.publishedCount(), skipped,
                    new StatusResponse.Replays(hub.replaysFromRing(), hub.replaysFromKafka()),
                    new StatusResponse.Ring(ring[0], ring[1])));
        }
        return new StatusResponse(registry.isClosing() ? "shutting_down" : "active", registry.count(),
                replay.openConsumers(), channels);
    }
}
