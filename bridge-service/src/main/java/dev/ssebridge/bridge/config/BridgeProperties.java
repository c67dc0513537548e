package dev.ssebridge.bridge.config;

import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
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
 * @param security  who may connect (JWT bearer tokens) and to which channels
 * @param cors      which other origins' pages may use the bridge
 * @param admission limits on connections, per address and in total, and on request inputs
 * @param accessLog whether each request is logged (Reactor Netty's access log, with tokens redacted)
 * @param schemaRegistry the schema registry of channels whose records are Avro, Protobuf or JSON Schema in the
 *                       Confluent wire format; null when none is
 * @param clusters  further Kafka clusters by name, each with its own client settings (and registry), which channels
 *                  and families name ({@code cluster}); {@code kafka} is the cluster named {@code default}
 */
@Validated
@ConfigurationProperties("bridge")
public record BridgeProperties(
        @NotEmpty Map<String, @Valid @NotNull ChannelProperties> channels,
        @Valid @DefaultValue KafkaProperties kafka,
        @Valid @DefaultValue StreamProperties stream,
        @Valid @DefaultValue RingProperties ring,
        @Valid @DefaultValue ReplayProperties replay,
        @Valid @DefaultValue HistoryProperties history,
        @Valid @DefaultValue SecurityProperties security,
        @Valid @DefaultValue CorsProperties cors,
        @Valid @DefaultValue AdmissionProperties admission,
        boolean accessLog,
        SchemaRegistrySettings schemaRegistry,
        Map<String, @Valid @NotNull RouteProperties> routes,
        Map<String, @Valid @NotNull FamilyProperties> families,
        Map<String, @Valid @NotNull ClusterProperties> clusters) {

    /** The cluster of channels and families that name none: {@code bridge.kafka}. */
    public static final String DEFAULT_CLUSTER = "default";

    /** No routes, families or further clusters unless some are configured. */
    public BridgeProperties {
        routes = routes == null ? Map.of() : routes;
        families = families == null ? Map.of() : families;
        clusters = clusters == null ? Map.of() : clusters;
    }

    @AssertTrue(message = "a cluster's name must match [a-z][a-z0-9_-]{0,31} and not be 'default' (that is bridge.kafka); "
            + "a channel's or family's cluster must be 'default' or one of bridge.clusters")
    public boolean isEveryClusterKnown() {
        boolean named = clusters.keySet().stream()
                .allMatch(name -> CHANNEL_NAME.matcher(name).matches() && !name.equals(DEFAULT_CLUSTER));
        java.util.stream.Stream<String> used = java.util.stream.Stream.concat(
                channels == null ? java.util.stream.Stream.empty()
                        : channels.values().stream().filter(java.util.Objects::nonNull).map(ChannelProperties::cluster),
                families.values().stream().filter(java.util.Objects::nonNull).map(FamilyProperties::cluster));
        return named && used.allMatch(cluster -> cluster == null || cluster.equals(DEFAULT_CLUSTER)
                || clusters.containsKey(cluster));
    }

    /** The name of the cluster {@code cluster} (a channel's or family's setting, null for none) stands for. */
    public static String clusterName(String cluster) {
        return cluster == null ? DEFAULT_CLUSTER : cluster;
    }

    /** Where cluster {@code name} is and how to reach it; {@link #DEFAULT_CLUSTER} is {@code bridge.kafka}. */
    public ClusterProperties cluster(String name) {
        if (name.equals(DEFAULT_CLUSTER)) {
            return new ClusterProperties(kafka.bootstrapServers(), kafka.properties(), schemaRegistry);
        }
        ClusterProperties cluster = clusters.get(name);
        if (cluster == null) {
            throw new IllegalArgumentException("no cluster " + name);
        }
        // A cluster without a registry of its own uses bridge.schema-registry.
        return cluster.schemaRegistry() != null ? cluster
                : new ClusterProperties(cluster.bootstrapServers(), cluster.properties(), schemaRegistry);
    }

    @AssertTrue(message = "a family's name must match [a-z][a-z0-9_-]{0,31}, be no channel's or route's name and not "
            + "'status', 'stream' or 'history'; its topic must hold {<parameter>} once")
    public boolean isEveryFamilyValid() {
        return families.entrySet().stream().allMatch(e -> validChannelName(e.getKey())
                && (channels == null || !channels.containsKey(e.getKey())) && !routes.containsKey(e.getKey())
                && (e.getValue() == null || e.getValue().topic() == null || e.getValue().parameter() == null
                        || e.getValue().topic().split(java.util.regex.Pattern.quote("{" + e.getValue().parameter()
                                + "}"), -1).length == 2));
    }

    @AssertTrue(message = "a route's name must match [a-z][a-z0-9_-]{0,31}, be no channel's name and not 'status', "
            + "'stream' or 'history'; its channel must be configured")
    public boolean isEveryRouteValid() {
        return routes.entrySet().stream().allMatch(e -> validChannelName(e.getKey())
                && (channels == null || !channels.containsKey(e.getKey()))
                && (channels == null || e.getValue() == null || channels.containsKey(e.getValue().channel())));
    }

    /** Channel names become URL path segments and cursor entries, so they are kept short and plain. */
    public static final java.util.regex.Pattern CHANNEL_NAME = java.util.regex.Pattern.compile("[a-z][a-z0-9_-]{0,31}");

    @AssertTrue(message = "channel names must match [a-z][a-z0-9_-]{0,31} and must not be 'status', 'stream' or 'history'")
    public boolean isEveryChannelNameValid() {
        return channels == null || channels.keySet().stream().allMatch(BridgeProperties::validChannelName);
    }

    @AssertTrue(message = "a channel whose value-format or key-format is avro or protobuf needs "
            + "bridge.schema-registry.urls (or its cluster's schema-registry.urls), or (for its values) a schema-file")
    public boolean isEverySchemaAvailable() {
        if (channels == null) {
            return true;
        }
        return channels.values().stream().allMatch(c -> c == null || hasRegistry(c.cluster())
                || (!c.valueFormat().needsSchema() || c.schemaFile() != null) && !c.keyFormat().needsSchema());
    }

    private boolean hasRegistry(String cluster) {
        return schemaRegistry != null || (cluster != null && clusters.get(cluster) != null
                && clusters.get(cluster).schemaRegistry() != null);
    }

    /** Whether any channel may read registry records: a registry is configured, shared or a cluster's. */
    public boolean anyRegistry() {
        return schemaRegistry != null || clusters.values().stream().anyMatch(c -> c != null && c.schemaRegistry() != null);
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
     * @param valueFormat   how the values are written: json (the default), avro, protobuf, json-schema
     * @param keyFormat     how the keys are written: string (the default), json, avro, protobuf, json-schema
     * @param schemaFile    for plain Avro or Protobuf values without the wire header: the {@code .avsc}, or a
     *                      descriptor set ({@code protoc --descriptor_set_out}) or {@code .proto}
     * @param protobufMessage with a Protobuf schema file: the message's full name (the file's first otherwise)
     * @param stateField    optional top-level value field that, with the Kafka key, names one piece of state for
     *                      snapshots and conflation (the dashboard's {@code update_type})
     * @param snapshot      whether the channel keeps the latest value of every key for joining clients
     * @param conflation    whether and how a client's events may be conflated (latest value per key)
     * @param policy        a CEL expression over the record, the caller's token claims and the request's path
     *                      parameters that must hold for a record to reach a client (e.g.
     *                      {@code record.key in claims.portfolios}); none: every client granted the channel sees it
     * @param traceContext  whether a record's W3C {@code traceparent} header reaches its clients (in the event's
     *                      envelope, as {@code "traceparent"}) and its fan-out is traced; off: the seed's envelope
     * @param cluster       the Kafka cluster its topic is on: one of {@code bridge.clusters}; none: {@code bridge.kafka}
     */
    public record ChannelProperties(
            @NotBlank String topic,
            @NotNull @Pattern(regexp = "[a-z][a-z0-9_]{0,63}") String eventName,
            @Pattern(regexp = "[a-z][a-z0-9_]{0,63}") String keyParameter,
            @Pattern(regexp = "[A-Za-z_][A-Za-z0-9_]{0,63}") String severityField,
            @NotNull @DefaultValue("json") PayloadFormat valueFormat,
            @NotNull @DefaultValue("string") PayloadFormat keyFormat,
            Path schemaFile,
            String protobufMessage,
            @Pattern(regexp = "[A-Za-z_][A-Za-z0-9_]{0,63}") String stateField,
            @Valid @DefaultValue SnapshotProperties snapshot,
            @Valid @DefaultValue ConflationProperties conflation,
            String policy,
            @DefaultValue("false") boolean traceContext,
            String cluster) {

        @AssertTrue(message = "schema-file is for a value-format of avro or protobuf")
        public boolean isSchemaFileForItsFormat() {
            return schemaFile == null || valueFormat == PayloadFormat.AVRO || valueFormat == PayloadFormat.PROTOBUF;
        }
    }

    /**
     * A stream addressed by a path template: {@code /api/v1/sse/<route>/<value>} streams {@code channel}, with the
     * path's value as the path parameter {@code parameter} (what a record policy reads as {@code params.<parameter>})
     * and, with {@code key}, as the only Kafka key the stream carries. For example a route {@code portfolios} over
     * the dashboard channel: {@code /api/v1/sse/portfolios/portfolio-001}.
     *
     * @param channel   the configured channel it streams
     * @param parameter the path parameter's name
     * @param key       whether the parameter is the record key: only that key's records are streamed
     */
    public record RouteProperties(
            @NotBlank String channel,
            @NotNull @Pattern(regexp = "[a-z][a-z0-9_]{0,31}") String parameter,
            @DefaultValue("true") boolean key) {
    }

    /**
     * A family of topics, one per value of a path parameter: {@code /api/v1/sse/<family>/<value>} streams the topic
     * {@code topic} with {@code {<parameter>}} replaced by the value, if the value matches {@code allow} and the topic
     * exists (a value outside {@code allow} and a topic that does not exist get the same 404). A member's tail starts
     * with its first subscriber and stops {@code idleTimeout} after its last; at most {@code maxTopics} are read at once.
     *
     * @param topic        the topic of a member, with {@code {<parameter>}} where the value goes, e.g.
     *                     {@code backtests.{strategy}}
     * @param parameter    the path parameter's name (what policies read as {@code params.<parameter>})
     * @param allow        the values that may name a topic (a regular expression the whole value must match)
     * @param eventName    the SSE {@code event:} name of its records
     * @param keyParameter optional query parameter that filters by Kafka key, as a channel's
     * @param policy       optional record policy, as a channel's (see {@link ChannelProperties#policy()})
     * @param access       optional rule over {@code claims} and {@code params} that must hold for a caller to open a
     *                     topic of the family at all, e.g. {@code params.strategy in claims.strategies}; a caller it
     *                     refuses gets the 404 a topic that does not exist gets, and starts no tail. Without it, any
     *                     caller granted the family may open (and so learn the existence of) any topic it allows
     * @param maxTopics    members read at once; a stream for one more is a 503 until one stops
     * @param idleTimeout  how long a member's tail goes on after its last subscriber left
     * @param ringMaxEvents each member's recent-events ring, in events (kept small: there may be many members)
     * @param ringMaxBytes  and in bytes: with {@code maxTopics}, what bounds the family's memory
     * @param traceContext  as a channel's: the members' records carry their {@code traceparent} to clients
     * @param cluster       the Kafka cluster its topics are on: one of {@code bridge.clusters}; none: {@code bridge.kafka}
     */
    public record FamilyProperties(
            @NotBlank String topic,
            @NotNull @Pattern(regexp = "[a-z][a-z0-9_]{0,31}") String parameter,
            @NotBlank String allow,
            @NotNull @Pattern(regexp = "[a-z][a-z0-9_]{0,63}") String eventName,
            @Pattern(regexp = "[a-z][a-z0-9_]{0,63}") String keyParameter,
            String policy,
            String access,
            @Min(1) @Max(10_000) @DefaultValue("100") int maxTopics,
            @NotNull @DefaultValue("60s") Duration idleTimeout,
            @Min(0) @Max(1_000_000) @DefaultValue("1000") int ringMaxEvents,
            @NotNull @DefaultValue("1MB") DataSize ringMaxBytes,
            @DefaultValue("false") boolean traceContext,
            String cluster) {

        @AssertTrue(message = "idle-timeout must be at least 100ms")
        public boolean isIdleTimeoutAtLeastATenthOfASecond() {
            return idleTimeout == null || idleTimeout.toMillis() >= 100;
        }

        @AssertTrue(message = "allow must be a regular expression")
        public boolean isAllowARegularExpression() {
            try {
                java.util.regex.Pattern.compile(allow == null ? "" : allow);
                return true;
            } catch (java.util.regex.PatternSyntaxException e) {
                return false;
            }
        }
    }

    /**
     * The latest value of every key of a channel, sent to a client that joins with {@code ?snapshot=true}
     * before live events. Held in memory, once per instance, shared by every client.
     *
     * @param enabled   keep the state; the channel's tail then reads the topic from its start when the bridge
     *                  starts (for a compacted topic: every key's latest record; otherwise the whole retained log)
     * @param byDefault clients get the snapshot without asking ({@code ?snapshot=false} opts out)
     * @param maxKeys   keys held at most; past it the least recently written key is dropped, and snapshots say
     *                  so ({@code snapshot_end} {@code truncated})
     * @param maxBytes  bytes of events held at most, likewise
     */
    public record SnapshotProperties(
            boolean enabled,
            boolean byDefault,
            @Min(1) @Max(10_000_000) @DefaultValue("100000") int maxKeys,
            @NotNull @DefaultValue("64MB") DataSize maxBytes) {
    }

    /**
     * Conflation of a channel's events for one client: within an interval only the latest value of each key is
     * sent, keys never merged. Asked for with {@code ?max_rate=} (events per second per key), and applied by
     * itself to a client that reads slower than the channel writes, which then gets the latest values instead
     * of being cut off ({@code fell_behind}).
     *
     * @param allowed        off by default: conflation drops intermediate values, which only a channel of state may
     *                       do. Off (alerts: every event must arrive), {@code max_rate} is refused and a slow client
     *                       is cut off and resumes from its cursor
     * @param defaultMaxRate applied when the client does not ask; none by default
     * @param maxHeldKeys    keys one connection may hold back at once; past it the connection is cut off
     */
    public record ConflationProperties(
            @DefaultValue("false") boolean allowed,
            @DecimalMin(value = "0", inclusive = false) @DecimalMax("100") Double defaultMaxRate,
            @Min(1) @Max(10_000_000) @DefaultValue("10000") int maxHeldKeys) {

        @AssertTrue(message = "default-max-rate is for channels that allow conflation")
        public boolean isDefaultRateAllowed() {
            return allowed || defaultMaxRate == null;
        }
    }

    /**
     * A further Kafka cluster: where it is and the client settings for it. The other Kafka settings
     * ({@code bridge.kafka.*}: intervals, record size, back-off) apply to every cluster.
     *
     * @param bootstrapServers {@code bootstrap.servers} of the cluster
     * @param properties       raw Kafka client settings for it, as {@code bridge.kafka.properties}; never logged
     * @param schemaRegistry   the registry of its channels' Avro, Protobuf or JSON Schema records; none:
     *                         {@code bridge.schema-registry}
     */
    public record ClusterProperties(
            @NotBlank String bootstrapServers,
            @DefaultValue Map<String, String> properties,
            @Valid SchemaRegistrySettings schemaRegistry) {

        public ClusterProperties {
            properties = properties == null ? Map.of() : properties;
        }

        @Override
        public String toString() {
            // Raw client properties may hold credentials: names only.
            return "ClusterProperties[bootstrapServers=" + bootstrapServers + ", properties=" + properties.keySet()
                    + ", schemaRegistry=" + schemaRegistry + "]";
        }
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
     * @param refusalRetry         after Kafka refuses the bridge (its credentials, or a topic's ACL), how long until
     *                             the first attempt again; each refused attempt doubles it
     * @param refusalRetryMax      the longest wait between attempts while Kafka keeps refusing
     */
    public record KafkaProperties(
            @NotBlank @DefaultValue("localhost:9092") String bootstrapServers,
            @NotBlank @Pattern(regexp = "[A-Za-z0-9._-]{1,64}") @DefaultValue("ssebridge") String clientIdPrefix,
            @DefaultValue Map<String, String> properties,
            @NotNull @DefaultValue("5s") Duration topicRetryInterval,
            @NotNull @DefaultValue("1MB") DataSize maxRecordSize,
            @NotNull @DefaultValue("5s") Duration monitorInterval,
            @NotNull @DefaultValue("30s") Duration refusalRetry,
            @NotNull @DefaultValue("10m") Duration refusalRetryMax) {

        @AssertTrue(message = "refusal-retry must be at least 100ms and refusal-retry-max at least refusal-retry")
        public boolean isRefusalRetrySane() {
            return refusalRetry == null || refusalRetryMax == null
                    || (refusalRetry.toMillis() >= 100 && refusalRetryMax.compareTo(refusalRetry) >= 0);
        }

        @Override
        public String toString() {
            // Raw client properties may hold credentials (sasl.jaas.config, ssl passwords): names only.
            return "KafkaProperties[bootstrapServers=" + bootstrapServers + ", clientIdPrefix=" + clientIdPrefix
                    + ", properties=" + properties.keySet() + ", topicRetryInterval=" + topicRetryInterval
                    + ", maxRecordSize=" + maxRecordSize + ", monitorInterval=" + monitorInterval
                    + ", refusalRetry=" + refusalRetry + ", refusalRetryMax=" + refusalRetryMax + "]";
        }
    }

    /**
     * Per-connection stream behaviour.
     *
     * @param pingInterval      how long a stream may write nothing before it gets a {@code ping} event (idle streams
     *                          get one every interval, at a phase of their own; none is silent for more than
     *                          1.5 intervals)
     * @param retry             the {@code retry:} reconnection delay sent to EventSource clients
     * @param retryJitter       random extra delay added to {@code retry} per connection, so that clients cut off
     *                          together do not reconnect together
     * @param maxPendingEvents  events queued for one connection before it counts as too slow and is ended
     * @param maxPendingBytes   bytes queued for one connection before it counts as too slow and is ended
     * @param maxChannels       channels one multiplexed stream may carry
     * @param stalledWriteTimeout after a connection fell behind, how long its socket may take nothing before it
     *                          is closed (a client that drains its queue gets the stream_end event instead); on
     *                          a conflated channel, also how long a congested connection may take nothing before
     *                          it counts as fallen behind (noticed when its ping is due)
     * @param acceptBacklog     connections the kernel may queue for the server to accept (SO_BACKLOG), for
     *                          reconnect storms; the kernel caps it at {@code net.core.somaxconn}
     */
    public record StreamProperties(
            @NotNull @DefaultValue("30s") Duration pingInterval,
            @NotNull @DefaultValue("2s") Duration retry,
            @NotNull @DefaultValue("1s") Duration retryJitter,
            @Min(1) @Max(1_000_000) @DefaultValue("1000") int maxPendingEvents,
            @NotNull @DefaultValue("1MB") DataSize maxPendingBytes,
            @Min(1) @Max(256) @DefaultValue("16") int maxChannels,
            @NotNull @DefaultValue("15s") Duration stalledWriteTimeout,
            @Min(1) @Max(1_000_000) @DefaultValue("4096") int acceptBacklog,
            @Valid @DefaultValue CompressionProperties compression) {

        @AssertTrue(message = "ping-interval must be at least 10ms")
        public boolean isPingIntervalAtLeastTenMillis() {
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
     * gzip on stream responses, for clients that send {@code Accept-Encoding: gzip} (browsers do). Each write is
     * flushed through the compressor, so an event leaves as soon as it would uncompressed.
     *
     * @param enabled    false serves every stream uncompressed
     * @param maxStreams compressed streams at once; later ones are served uncompressed. Each holds a zlib state of
     *                   about 260 KB outside the heap, so this bounds that memory
     * @param level      zlib level, 1 (fastest) to 9 (smallest). 1 by default: on the demo streams it sends 15% of
     *                   the plain bytes where 6 sends 12%, for a third less CPU per delivery (benchmarks/RESULTS.md)
     */
    public record CompressionProperties(
            @DefaultValue("true") boolean enabled,
            @Min(0) @Max(1_000_000) @DefaultValue("1000") int maxStreams,
            @Min(1) @Max(9) @DefaultValue("1") int level) {
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

    /** Who may read what, per endpoint family, when security is enabled. */
    public enum Access {
        /** Anyone, token or not. */
        PUBLIC,
        /** Any valid token. */
        AUTHENTICATED,
        /** A token granting the channel(s) concerned (history only). */
        CHANNEL,
        /** A token granting the admin grant. */
        ADMIN
    }

    /**
     * JWT bearer-token security. Off by default (the demo); one setting ({@code enabled}) plus a key
     * source locks the bridge down.
     *
     * @param enabled        require a valid token on the SSE and history endpoints
     * @param hmacSecret     shared secret for HMAC-signed tokens (at least 32 bytes)
     * @param hmacAlgorithm  HS256, HS384 or HS512
     * @param jwkSetUri      JWK set of an identity provider (RSA/EC-signed tokens)
     * @param issuerUri      an OpenID issuer whose discovery document names its JWK set (fetched at start-up)
     * @param issuer         the {@code iss} claim tokens must carry (implied by {@code issuerUri})
     * @param audience       an {@code aud} value tokens must carry, if set
     * @param clockSkew      tolerance on {@code exp}/{@code nbf} when validating a token
     * @param channelsClaim  the claim that grants channels: a space-separated string (like {@code scope}) or an
     *                       array of strings (like {@code channels})
     * @param grantPrefix    prefix of a channel grant in that claim ({@code sse:} makes {@code sse:alerts} grant
     *                       alerts); {@code *} after it grants every channel
     * @param adminGrant     grant (after the prefix) that opens status, actuator and every channel
     * @param cookieName     cookie that may carry the token (same-origin pages); empty: no cookie
     * @param statusAccess   who may read {@code /api/v1/sse/status} (it lists client ids)
     * @param historyAccess  who may read {@code /api/v1/sse/history/{channel}}
     * @param actuatorAccess who may read actuator endpoints other than health (metrics)
     * @param docsAccess     who may read the OpenAPI document and Swagger UI
     */
    public record SecurityProperties(
            boolean enabled,
            String hmacSecret,
            @NotNull @Pattern(regexp = "HS256|HS384|HS512") @DefaultValue("HS256") String hmacAlgorithm,
            java.net.URI jwkSetUri,
            String issuerUri,
            String issuer,
            String audience,
            @NotNull @DefaultValue("30s") Duration clockSkew,
            @NotBlank @DefaultValue("scope") String channelsClaim,
            @NotNull @DefaultValue("sse:") String grantPrefix,
            @NotBlank @DefaultValue("admin") String adminGrant,
            @NotNull @Pattern(regexp = "|[A-Za-z0-9_-]{1,64}") @DefaultValue("sse_token") String cookieName,
            @NotNull @DefaultValue("admin") Access statusAccess,
            @NotNull @DefaultValue("channel") Access historyAccess,
            @NotNull @DefaultValue("admin") Access actuatorAccess,
            @NotNull @DefaultValue("public") Access docsAccess) {

        @AssertTrue(message = "with security enabled, set exactly one of hmac-secret, jwk-set-uri, issuer-uri")
        public boolean isKeySourceGiven() {
            if (!enabled) {
                return true;
            }
            int sources = (hasText(hmacSecret) ? 1 : 0) + (jwkSetUri != null ? 1 : 0) + (hasText(issuerUri) ? 1 : 0);
            return sources == 1;
        }

        @AssertTrue(message = "hmac-secret must be at least 32 bytes (256 bits)")
        public boolean isHmacSecretLongEnough() {
            return !hasText(hmacSecret) || hmacSecret.getBytes(java.nio.charset.StandardCharsets.UTF_8).length >= 32;
        }

        @AssertTrue(message = "status-access, actuator-access and docs-access must be public, authenticated or admin")
        public boolean isAccessSane() {
            return statusAccess != Access.CHANNEL && actuatorAccess != Access.CHANNEL && docsAccess != Access.CHANNEL;
        }

        private static boolean hasText(String s) {
            return s != null && !s.isBlank();
        }

        @Override
        public String toString() {
            // The secret never appears in logs (a failed start-up prints the bound values).
            return "SecurityProperties[enabled=" + enabled + ", hmacSecret=" + (hasText(hmacSecret) ? "(set)" : "(none)")
                    + ", jwkSetUri=" + jwkSetUri + ", issuerUri=" + issuerUri + ", issuer=" + issuer + ", audience="
                    + audience + ", channelsClaim=" + channelsClaim + ", grantPrefix=" + grantPrefix + "]";
        }
    }

    /**
     * Cross-origin access, for pages served from another origin than the bridge. Empty origins: none.
     *
     * @param allowedOrigins   origins (patterns like {@code https://*.example.com} allowed) whose pages may connect
     * @param allowedMethods   methods allowed cross-origin
     * @param allowedHeaders   request headers allowed cross-origin
     * @param allowCredentials whether cookies (e.g. the token cookie) may be sent cross-origin
     * @param maxAge           how long browsers may cache a preflight answer
     */
    public record CorsProperties(
            @DefaultValue List<String> allowedOrigins,
            @DefaultValue({"GET", "HEAD", "OPTIONS"}) List<String> allowedMethods,
            @DefaultValue({"Authorization", "Last-Event-ID", "Content-Type"}) List<String> allowedHeaders,
            boolean allowCredentials,
            @NotNull @DefaultValue("30m") Duration maxAge) {
    }

    /**
     * Admission control for stream requests. Excess gets 429 with Retry-After; open streams are unaffected.
     * The per-address defaults leave room for an office behind one NAT reconnecting at once after a restart:
     * a browser's EventSource does not retry after a 429, so a refusal costs that tab its stream until the
     * page reopens it.
     *
     * @param maxConnections           open streams on this instance
     * @param maxConnectionsPerAddress open streams per client address
     * @param connectionRatePerAddress new stream requests per second per client address (sustained)
     * @param connectionBurstPerAddress new stream requests one address may make at once before the rate applies
     * @param clientAddressHeader      header set by a trusted reverse proxy with the client's address (e.g.
     *                                 {@code X-Forwarded-For}; its last entry is used). Only set it when every
     *                                 request comes through that proxy: clients can write the header themselves.
     * @param maxQueryParameters       query parameters one request may carry (values counted)
     * @param maxQueryValueLength      characters in one query value (a cursor for many channels is the longest)
     * @param headerTimeout            how long a TCP connection has for its request line and headers, counted from
     *                                 accept; trickling bytes does not extend it. Streams in progress are not affected.
     * @param keepAliveTimeout         how long a kept-alive HTTP/1.1 connection has for its next request's line and
     *                                 headers, counted from the end of the previous response (longer than the header
     *                                 timeout: a client's pool reuses idle connections, and each close races a reuse)
     * @param maxTcpConnectionsPerAddress TCP connections one peer address may hold at once, counted at accept,
     *                                 before any HTTP is read, whatever they carry; 0: no such cap. Not applied
     *                                 behind a proxy ({@code clientAddressHeader} set): the peer is the proxy.
     * @param maxTcpConnections        TCP connections the instance holds at once; 0: as many as its file-descriptor
     *                                 limit allows, less the descriptors it needs besides
     * @param tcpConnectionReserve     of those, the last ones kept for status and health requests
     * @param maxAwaitingPerAddress    when fewer places are left than one address may hold, the new TCP connections
     *                                 one peer address may have waiting for their first request's headers at once;
     *                                 0: no such cap. It keeps a flood of half-written requests from one address to
     *                                 this many of the last places. Not applied behind a proxy.
     */
    public record AdmissionProperties(
            @Min(1) @DefaultValue("50000") int maxConnections,
            @Min(1) @DefaultValue("1000") int maxConnectionsPerAddress,
            @Min(1) @DefaultValue("50") int connectionRatePerAddress,
            @Min(1) @DefaultValue("500") int connectionBurstPerAddress,
            @Pattern(regexp = "[A-Za-z0-9-]{1,64}") String clientAddressHeader,
            @Min(1) @Max(1000) @DefaultValue("32") int maxQueryParameters,
            @Min(64) @Max(65536) @DefaultValue("4096") int maxQueryValueLength,
            @NotNull @DefaultValue("10s") Duration headerTimeout,
            @NotNull @DefaultValue("60s") Duration keepAliveTimeout,
            @Min(0) @DefaultValue("1100") int maxTcpConnectionsPerAddress,
            @Min(0) @DefaultValue("0") int maxTcpConnections,
            @Min(0) @DefaultValue("64") int tcpConnectionReserve,
            @Min(0) @DefaultValue("64") int maxAwaitingPerAddress) {

        @AssertTrue(message = "header-timeout and keep-alive-timeout must be at least 100ms")
        public boolean isHeaderTimeoutAtLeastAHundredMillis() {
            return (headerTimeout == null || headerTimeout.toMillis() >= 100)
                    && (keepAliveTimeout == null || keepAliveTimeout.toMillis() >= 100);
        }

        @AssertTrue(message = "max-tcp-connections-per-address must be 0 (no cap) or at least "
                + "max-connections-per-address: below it, an address's next stream would be cut at accept instead of "
                + "getting its 429 with Retry-After")
        public boolean isTcpCapAboveTheStreamCap() {
            return maxTcpConnectionsPerAddress == 0 || maxTcpConnectionsPerAddress >= maxConnectionsPerAddress;
        }

        @AssertTrue(message = "tcp-connection-reserve must be below max-tcp-connections")
        public boolean isReserveBelowTheTotal() {
            return maxTcpConnections == 0 || tcpConnectionReserve < maxTcpConnections;
        }
    }
}
