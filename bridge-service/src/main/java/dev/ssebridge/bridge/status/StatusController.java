package dev.ssebridge.bridge.status;

import dev.ssebridge.bridge.channel.Channel;
import dev.ssebridge.bridge.event.SkipReason;
import dev.ssebridge.bridge.hub.ChannelHub;
import dev.ssebridge.bridge.hub.ChannelHubs;
import dev.ssebridge.bridge.stream.ConnectionRegistry;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /api/v1/sse/status}: connections per channel and what each channel's tail has done. */
@RestController
class StatusController {

    private final ChannelHubs hubs;
    private final ConnectionRegistry registry;

    StatusController(ChannelHubs hubs, ConnectionRegistry registry) {
        this.hubs = hubs;
        this.registry = registry;
    }

    @GetMapping("/api/v1/sse/status")
    StatusResponse status() {
        Map<String, StatusResponse.ChannelStatus> channels = new LinkedHashMap<>();
        for (ChannelHub hub : hubs.all()) {
            Channel channel = hub.channel();
            var clients = registry.clientsOf(channel);
            Map<String, Long> skipped = new LinkedHashMap<>();
            for (SkipReason reason : SkipReason.values()) {
                skipped.put(reason.label(), hub.skippedCount(reason));
            }
            channels.put(channel.name(), new StatusResponse.ChannelStatus(
                    clients.size(), clients, channel.topic(), hub.publishedCount(), skipped));
        }
        return new StatusResponse(registry.isClosing() ? "shutting_down" : "active", registry.count(), channels);
    }
}
