package dev.ssebridge.bridge.kafka;

import dev.ssebridge.bridge.channel.Channel;
import dev.ssebridge.bridge.hub.ChannelHub;
import dev.ssebridge.bridge.hub.ChannelHubs;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks Kafka at a fixed interval for the end offset of every partition of every channel: that gives the
 * tails' lag, which topics are missing, and whether Kafka answers at all (health). One small Admin
 * request per interval, whatever the number of clients.
 */
public final class KafkaMonitor {

    private static final Logger log = LoggerFactory.getLogger(KafkaMonitor.class);

    /**
     * Whether Kafka answered the last check, and since when it has (not).
     *
     * @param nextAttempt while Kafka refuses the bridge's credentials: when the bridge tries again; null otherwise
     */
    public record KafkaHealth(boolean up, Instant since, Instant lastCheck, String error, Instant nextAttempt) {

        KafkaHealth(boolean up, Instant since, Instant lastCheck, String error) {
            this(up, since, lastCheck, error, null);
        }

        /** Whether Kafka refuses the bridge's credentials. */
        public boolean refused() {
            return nextAttempt != null;
        }
    }

    private final ChannelHubs hubs;
    private final ClusterAccess access;
    private final Duration interval;
    private final Clock clock;
    private final Map<String, long[]> endOffsets = new ConcurrentHashMap<>();
    private final Set<String> missingTopics = ConcurrentHashMap.newKeySet();
    private volatile KafkaHealth health;

    KafkaMonitor(ChannelHubs hubs, ClusterAccess access, Duration interval, Clock clock) {
        this.hubs = hubs;
        this.access = access;
        this.interval = interval;
        this.clock = clock;
        this.health = new KafkaHealth(false, clock.instant(), null, "not checked yet");
    }

    public KafkaHealth health() {
        KafkaHealth checked = health;
        ClusterAccess.Refusal refusal = access.refusal();
        return refusal == null ? checked : new KafkaHealth(false, checked.up() ? refusal.since() : checked.since(),
                checked.lastCheck(), refusal.reason(), refusal.nextAttempt());
    }

    /** End offsets of the channel's partitions at the last successful check, or null. */
    public long[] endOffsets(Channel channel) {
        return endOffsets.get(channel.name());
    }

    /** Topics of channels that did not exist at the last check. */
    public Set<String> missingTopics() {
        return Set.copyOf(missingTopics);
    }

    /**
     * One check now; a {@code PeriodicTask} calls it at every interval. Blocking, on that task's thread. While Kafka
     * refuses the bridge's credentials it sends nothing until the next attempt is due, and then is that attempt
     * ({@link ClusterAccess}).
     */
    public void check() {
        Instant now = clock.instant();
        long timeoutMs = Math.max(1000, interval.toMillis());
        Admin admin = null;
        try {
            admin = access.admin();
            List<String> topics = hubs.all().stream().map(h -> h.channel().topic()).distinct().toList();
            Map<String, KafkaFuture<TopicDescription>> described = admin
                    .describeTopics(topics, new DescribeTopicsOptions().timeoutMs((int) timeoutMs)).topicNameValues();
            Map<TopicPartition, OffsetSpec> request = new HashMap<>();
            for (String topic : topics) {
                try {
                    TopicDescription description = described.get(topic).get(timeoutMs, TimeUnit.MILLISECONDS);
                    missingTopics.remove(topic);
                    description.partitions().forEach(p -> request.put(new TopicPartition(topic, p.partition()),
                            OffsetSpec.latest()));
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                        throw e;
                    }
                    missingTopics.add(topic);
                }
            }
            var offsets = admin.listOffsets(request, new ListOffsetsOptions().timeoutMs((int) timeoutMs)).all()
                    .get(timeoutMs, TimeUnit.MILLISECONDS);
            for (ChannelHub hub : hubs.all()) {
                Channel channel = hub.channel();
                int partitions = (int) offsets.keySet().stream().filter(tp -> tp.topic().equals(channel.topic())).count();
                long[] ends = new long[partitions];
                for (int p = 0; p < partitions; p++) {
                    ends[p] = offsets.get(new TopicPartition(channel.topic(), p)).offset();
                }
                endOffsets.put(channel.name(), ends);
            }
            access.answered(admin);
            if (!health.up()) {
                log.info("Kafka answers again");
            }
            health = new KafkaHealth(true, health.up() ? health.since() : now, now, null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            if (admin != null) {
                access.failed(admin, cause);
            }
            Throwable refusal = FatalKafkaErrors.of(cause);
            String error = refusal != null ? FatalKafkaErrors.describe(refusal)
                    : cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
            // A refusal is logged by ClusterAccess (or the tail refused a topic).
            if ((health.up() || health.lastCheck() == null) && refusal == null) {
                log.warn("Kafka does not answer: {}", error);
            }
            health = new KafkaHealth(false, health.up() || health.lastCheck() == null ? now : health.since(), now, error);
        }
    }
}
