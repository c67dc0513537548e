package dev.ssebridge.bridge.config;

import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Everything under {@code bridge.*}. Validated at start-up: a bad value stops the application with a
 * message naming the key.
 *
 * @param channels channel name (the {@code /api/v1/sse/{channel}} path segment) to its Kafka topic and event name
 * @param kafka    how to reach Kafka
 * @param stream   per-connection behaviour of the SSE streams
 * @param ring     the recent-events ring of each channel, which serves reconnects without Kafka
 * @param replay   replays older than the ring, read from Kafka
 * @param history  the history API
 */
@Validated
@ConfigurationProperties("bridge")
public record BridgeProperties(
        @NotEmpty Map<String, @Valid @NotNull ChannelProperties> channels,
        @Valid @DefaultValue KafkaProperties kafka,
        @Valid @DefaultValue StreamProperties stream,
        @Valid @DefaultValue RingProperties ring,
        @Valid @DefaultValue ReplayProperties replay,
        @Valid @DefaultValue HistoryProperties history) {

    /** Channel names become URL path segments and cursor entries, so they are kept short and plain. */
    public static final java.util.regex.Pattern CHANNEL_NAME = java.util.regex.Pattern.compile("[a-z][a-z0-9_-]{0,31}");

    @AssertTrue(message = "channel names must match [a-z][a-z0-9_-]{0,31} and must not be 'status', 'stream' or 'history'")
    public boolean isEveryChannelNameValid() {
        return channels == null || channels.keySet().stream().allMatch(BridgeProperties::validChannelName);
    }

    private static boolean validChannelName(String name) {
        Matcher m = CHANNEL_NAME.matcher(name);
        return m.matches() && !name.equals("status") && !name.equals("stream") && !name.equals("history");
    }

    /**
     * One channel.
     *
     * @param topic         the Kafka topic the channel serves
     * @param eventName     the SSE {@code event:} name of its events
     * @param keyParameter  optional name of a query parameter that filters this channel by Kafka key, e.g.
     *                      {@code task_id} (the key is the entity id)
     * @param severityField optional top-level field of the record value holding a severity (low, medium,
     *                      high, critical); enables {@code min_severity} on this channel
     */
    public record ChannelProperties(
            @NotBlank String topic,
            @NotNull @Pattern(regexp = "[a-z][a-z0-9_]{0,63}") String eventName,
            @Pattern(regexp = "[a-z][a-z0-9_]{0,63}") String keyParameter,
            @Pattern(regexp = "[A-Za-z_][A-Za-z0-9_]{0,63}") String severityField) {
    }

    /**
     * Kafka connection.
     *
     * @param bootstrapServers     {@code bootstrap.servers} of the cluster
     * @param clientIdPrefix       prefix of the {@code client.id} of every client the bridge creates
     * @param properties           raw Kafka client settings passed through unchanged (security, timeouts, ...);
     *                             values are never logged or shown in status
     * @param topicRetryInterval   how often a tail retries when its topic is missing or Kafka is unreachable
     * @param maxRecordSize        record values above this size are skipped (and counted), not delivered
     * @param monitorInterval      how often end offsets (lag) and Kafka's reachability (health) are checked
     */
    public record KafkaProperties(
            @NotBlank @DefaultValue("localhost:9092") String bootstrapServers,
            @NotBlank @Pattern(regexp = "[A-Za-z0-9._-]{1,64}") @DefaultValue("ssebridge") String clientIdPrefix,
            @DefaultValue Map<String, String> properties,
            @NotNull @DefaultValue("5s") Duration topicRetryInterval,
            @NotNull @DefaultValue("1MB") DataSize maxRecordSize,
            @NotNull @DefaultValue("5s") Duration monitorInterval) {

        @Override
        public String toString() {
            // Raw client properties may hold credentials (sasl.jaas.config, ssl passwords): names only.
            return "KafkaProperties[bootstrapServers=" + bootstrapServers + ", clientIdPrefix=" + clientIdPrefix
                    + ", properties=" + properties.keySet() + ", topicRetryInterval=" + topicRetryInterval
                    + ", maxRecordSize=" + maxRecordSize + ", monitorInterval=" + monitorInterval + "]";
        }
    }

    /**
     * Per-connection stream behaviour.
     *
     * @param pingInterval      how often a {@code ping} event is sent on every stream
     * @param retry             the {@code retry:} reconnection delay sent to EventSource clients
     * @param retryJitter       random extra delay added to {@code retry} per connection, so that clients cut off
     *                          together do not reconnect together
     * @param maxPendingEvents  events queued for one connection before it counts as too slow and is ended
     * @param maxPendingBytes   bytes queued for one connection before it counts as too slow and is ended
     * @param maxChannels       channels one multiplexed stream may carry
     * @param stalledWriteTimeout after a connection fell behind, how long its socket may take nothing before it
     *                          is closed (a client that drains its queue gets the stream_end event instead)
     */
    public record StreamProperties(
            @NotNull @DefaultValue("30s") Duration pingInterval,
            @NotNull @DefaultValue("2s") Duration retry,
            @NotNull @DefaultValue("1s") Duration retryJitter,
            @Min(1) @Max(1_000_000) @DefaultValue("1000") int maxPendingEvents,
            @NotNull @DefaultValue("1MB") DataSize maxPendingBytes,
            @Min(1) @Max(256) @DefaultValue("16") int maxChannels,
            @NotNull @DefaultValue("15s") Duration stalledWriteTimeout) {

        @AssertTrue(message = "ping-interval must be at least 10ms")
        public boolean isPingIntervalPositive() {
            return pingInterval == null || pingInterval.toMillis() >= 10;
        }

        @AssertTrue(message = "retry and retry-jitter must not be negative")
        public boolean isRetryNonNegative() {
            return retry == null || retryJitter == null || (!retry.isNegative() && !retryJitter.isNegative());
        }

        @AssertTrue(message = "max-pending-bytes must be at least 1KB")
        public boolean isMaxPendingBytesSane() {
            return maxPendingBytes == null || maxPendingBytes.toBytes() >= 1024;
        }
    }

    /**
     * The recent-events ring of each channel: reconnects whose cursor is inside it are served from
     * memory and open no Kafka consumer.
     *
     * @param maxEvents events kept per channel
     * @param maxBytes  bytes kept per channel
     */
    public record RingProperties(
            @Min(0) @Max(10_000_000) @DefaultValue("10000") int maxEvents,
            @NotNull @DefaultValue("16MB") DataSize maxBytes) {
    }

    /**
     * Replays from Kafka, for cursors older than the ring and for {@code since}/{@code from}.
     *
     * @param idleTimeout a replay that makes no progress for this long (Kafka unreachable) ends the stream
     *                    with {@code stream_end}, and the client retries from where it got to
     * @param maxThreads  threads that run replay consumers; more concurrent replays share them
     */
    public record ReplayProperties(
            @NotNull @DefaultValue("30s") Duration idleTimeout,
            @Min(1) @Max(1024) @DefaultValue("16") int maxThreads) {
    }

    /** @param maxLimit most events one history answer may hold */
    public record HistoryProperties(@Min(1) @Max(100_000) @DefaultValue("1000") int maxLimit) {
    }
}
