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
import org.apache.kafka.clients.admin.DescribeClusterOptions;
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
 * request per interval and cluster, whatever the number of clients; each cluster's health is its own.
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
    private final KafkaClusters clusters;
    private final Duration interval;
    private final Clock clock;
    private final Map<String, long[]> endOffsets = new ConcurrentHashMap<>();
    private final Map<String, Set<String>> missingTopics = new ConcurrentHashMap<>(); // by cluster
    private final Map<String, KafkaHealth> health = new ConcurrentHashMap<>(); // by cluster

    KafkaMonitor(ChannelHubs hubs, KafkaClusters clusters, Duration interval, Clock clock) {
        this.hubs = hubs;
        this.clusters = clusters;
        this.interval = interval;
        this.clock = clock;
        for (String cluster : clusters.names()) {
            health.put(cluster, new KafkaHealth(false, clock.instant(), null, "not checked yet"));
            missingTopics.put(cluster, ConcurrentHashMap.newKeySet());
        }
    }

    /**
     * Whether every cluster answers: with one cluster, its health; with several, the first one's (by name) that
     * does not, its error naming it, or up since the last of them came up.
     */
    public KafkaHealth health() {
        List<String> names = clusters.names();
        KafkaHealth allUp = null;
        KafkaHealth notChecked = null;
        for (String name : names) {
            KafkaHealth one = health(name);
            if (!one.up() && one.lastCheck() == null && !one.refused()) {
                notChecked = notChecked == null ? one : notChecked; // a cluster that is down says more
            } else if (!one.up()) {
                return names.size() == 1 || one.error() == null ? one : new KafkaHealth(false, one.since(),
                        one.lastCheck(), "cluster '" + name + "': " + one.error(), one.nextAttempt());
            } else {
                allUp = allUp == null || one.since().isAfter(allUp.since()) ? one : allUp;
            }
        }
        return notChecked != null ? notChecked : allUp;
    }

    /** Whether cluster {@code name} answers (and accepts the bridge's credentials). */
    public KafkaHealth health(String name) {
        KafkaHealth checked = health.get(name);
        ClusterAccess.Refusal refusal = clusters.named(name).access().refusal();
        return refusal == null ? checked : new KafkaHealth(false, checked.up() ? refusal.since() : checked.since(),
                checked.lastCheck(), refusal.reason(), refusal.nextAttempt());
    }

    /** The clusters the channels read, by name. */
    public List<String> clusters() {
        return clusters.names();
    }

    /** The cluster {@code channel}'s topic is on. */
    public String clusterOf(Channel channel) {
        return clusters.nameOf(channel);
    }

    /** End offsets of the channel's partitions at the last successful check, or null. */
    public long[] endOffsets(Channel channel) {
        return endOffsets.get(channel.name());
    }

    /** Topics of channels that did not exist at the last check. */
    public Set<String> missingTopics() {
        Set<String> all = new java.util.TreeSet<>();
        missingTopics.values().forEach(all::addAll);
        return Set.copyOf(all);
    }

    /**
     * One check now; a {@code PeriodicTask} calls it at every interval. Blocking, on that task's thread. While Kafka
     * refuses the bridge's credentials it sends nothing until the next attempt is due, and then is that attempt
     * ({@link ClusterAccess}).
     */
    public void check() {
        for (String name : clusters.names()) {
            check(name, clusters.named(name).access());
        }
    }

    private void check(String cluster, ClusterAccess access) {
        Instant now = clock.instant();
        long timeoutMs = Math.max(1000, interval.toMillis());
        List<ChannelHub> ofCluster = hubs.all().stream().filter(h -> clusters.nameOf(h.channel()).equals(cluster))
                .toList();
        KafkaHealth health = this.health.get(cluster);
        String kafka = KafkaClusters.label(cluster);
        Admin admin = null;
        try {
            admin = access.admin();
            List<String> topics = ofCluster.stream().map(h -> h.channel().topic()).distinct().toList();
            if (topics.isEmpty()) {
                // Only families read this cluster, and none of their topics runs: asking for no topics would need no
                // broker at all. Its nodes, then: an answer a broker must give.
                admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) timeoutMs)).nodes()
                        .get(timeoutMs, TimeUnit.MILLISECONDS);
            }
            Map<String, KafkaFuture<TopicDescription>> described = admin
                    .describeTopics(topics, new DescribeTopicsOptions().timeoutMs((int) timeoutMs)).topicNameValues();
            Map<TopicPartition, OffsetSpec> request = new HashMap<>();
            for (String topic : topics) {
                try {
                    TopicDescription description = described.get(topic).get(timeoutMs, TimeUnit.MILLISECONDS);
                    missingTopics.get(cluster).remove(topic);
                    description.partitions().forEach(p -> request.put(new TopicPartition(topic, p.partition()),
                            OffsetSpec.latest()));
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                        throw e;
                    }
                    missingTopics.get(cluster).add(topic);
                }
            }
            var offsets = admin.listOffsets(request, new ListOffsetsOptions().timeoutMs((int) timeoutMs)).all()
                    .get(timeoutMs, TimeUnit.MILLISECONDS);
            for (ChannelHub hub : ofCluster) {
                Channel channel = hub.channel();
                int partitions = (int) offsets.keySet().stream().filter(tp -> tp.topic().equals(channel.topic())).count();
                long[] ends = new long[partitions];
                for (int p = 0; p < partitions; p++) {
                    ends[p] = offsets.get(new TopicPartition(channel.topic(), p)).offset();
                }
                endOffsets.put(channel.name(), ends);
            }
            access.answered(admin);
            if (!health.up() && health.lastCheck() != null) {
                log.info("{} answers again", kafka);
            }
            this.health.put(cluster, new KafkaHealth(true, health.up() ? health.since() : now, now, null));
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
                log.warn("{} does not answer: {}", kafka, error);
            }
            this.health.put(cluster, new KafkaHealth(false, health.up() || health.lastCheck() == null ? now
                    : health.since(), now, error));
        }
    }
}
