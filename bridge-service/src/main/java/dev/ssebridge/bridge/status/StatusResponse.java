package dev.ssebridge.bridge.status;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * Body of {@code GET /api/v1/sse/status}: the seed's shape ({@code status}, {@code total_connections},
 * per channel {@code connection_count} and {@code clients}) plus what operators need per channel.
 */
record StatusResponse(
        String status,
        @JsonProperty("total_connections") int totalConnections,
        @JsonProperty("replay_consumers_open") int replayConsumersOpen,
        Map<String, ChannelStatus> channels) {

    record ChannelStatus(
            @JsonProperty("connection_count") int connectionCount,
            List<String> clients,
            String topic,
            @JsonProperty("events_published") long eventsPublished,
            @JsonProperty("skipped_records") Map<String, Long> skippedRecords,
            Replays replays,
            Ring ring) {
    }

    /** Resumes (cursor, since or from) served from memory alone, and those that needed a Kafka consumer. */
    record Replays(long ring, long kafka) {
    }

    record Ring(long events, long bytes) {
    }
}
