package dev.ssebridge.bridge.status;

import com.fasterxml.jackson.annotation.JsonInclude;
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
        Kafka kafka,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, Kafka> clusters,
        Connections connections,
        Map<String, ChannelStatus> channels,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, FamilyStatus> families) {

    /**
     * A family of topics: what its tails stand at, never which topics they read (status may be public, and which
     * topics exist is what the family's 404 keeps to itself).
     *
     * @param topic the topic template, e.g. {@code backtests.{strategy}}
     */
    record FamilyStatus(
            String topic,
            @JsonProperty("tails_running") int tailsRunning,
            @JsonProperty("max_topics") int maxTopics,
            @JsonProperty("connection_count") int connectionCount,
            @JsonProperty("ring_bytes") long ringBytes,
            @JsonProperty("tails_started") long tailsStarted,
            @JsonProperty("tails_stopped") long tailsStopped,
            @JsonProperty("refused_full") long refusedFull,
            @JsonProperty("refused_not_served") long refusedNotServed) {
    }

    /**
     * The instance's TCP connections, counted at accept whatever they carry, and what it refused or closed before
     * HTTP handling (see the README's "Limits that protect the bridge").
     *
     * @param state  {@code ok}, or {@code degraded} when only the reserve for status and health is left, or
     *               connections were refused at the limit within the last minute
     * @param reason why it is degraded; absent when it is not
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Connections(
            @JsonProperty("tcp_open") int tcpOpen,
            @JsonProperty("awaiting_request") int awaitingRequest,
            int limit,
            int reserve,
            @JsonProperty("per_address_limit") int perAddressLimit,
            @JsonProperty("per_address_awaiting_limit") int perAddressAwaitingLimit,
            @JsonProperty("header_timeout_ms") long headerTimeoutMillis,
            String state,
            String reason,
            Map<String, Long> refused) {
    }

    /**
     * Whether Kafka answers, and since when it does (not): in {@code kafka} every cluster the channels read (the
     * first that does not, by name, if one does not), in {@code clusters} each (present when the bridge reads more
     * than one).
     *
     * @param status      up, down, refused (Kafka refuses the bridge's credentials) or unknown (not checked yet)
     * @param nextAttempt while refused: when the bridge tries again; absent otherwise
     */
    record Kafka(String status, String since, @JsonProperty("last_check") String lastCheck, String error,
                 @JsonProperty("next_attempt") @JsonInclude(JsonInclude.Include.NON_NULL) String nextAttempt) {
    }

    /**
     * @param valueFormat how the topic's values are written: json, avro, protobuf or json-schema
     * @param state what the tail does: starting, waiting_for_topic, waiting_for_schema_registry, reading, or
     *              failed
     * @param error why the tail failed (authentication or authorization, with Kafka's message); absent otherwise
     * @param nextAttempt when a tail Kafka refused tries again; absent otherwise
     * @param lag   sum of the partitions' lag, null until known
     * @param cluster the Kafka cluster the topic is on: {@code default} ({@code bridge.kafka}) or one of
     *                {@code bridge.clusters}
     * @param topicId Kafka's id of the topic the tail reads; absent until it has described it
     * @param topicRecreatedAt when the tail last found the topic deleted and re-created (and started again in the new
     *                         one); absent if it never did
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ChannelStatus(
            @JsonProperty("connection_count") int connectionCount,
            List<String> clients,
            String topic,
            String cluster,
            @JsonProperty("topic_id") String topicId,
            @JsonProperty("topic_recreated_at") String topicRecreatedAt,
            @JsonProperty("value_format") String valueFormat,
            String state,
            String error,
            @JsonProperty("next_attempt") String nextAttempt,
            List<PartitionStatus> partitions,
            Long lag,
            @JsonProperty("events_per_second") double eventsPerSecond,
            @JsonProperty("events_published") long eventsPublished,
            @JsonProperty("skipped_records") Map<String, Long> skippedRecords,
            Replays replays,
            Ring ring,
            Snapshot snapshot,
            String conflation) {
    }

    /**
     * The latest value per key a channel keeps for {@code ?snapshot=true}.
     *
     * @param ready false while the tail still reads what the topic held when the bridge started
     */
    record Snapshot(long keys, long bytes, @JsonProperty("evicted_keys") long evictedKeys,
                    @JsonProperty("snapshots_served") long snapshotsServed, boolean ready) {
    }

    /** The tail's position in one partition, the partition's end and the difference. */
    record PartitionStatus(
            int partition,
            Long position,
            @JsonProperty("end_offset") Long endOffset,
            Long lag) {
    }

    /** Resumes (cursor, since or from) served from memory alone, and those that needed a Kafka consumer. */
    record Replays(long ring, long kafka) {
    }

    record Ring(long events, long bytes) {
    }
}
