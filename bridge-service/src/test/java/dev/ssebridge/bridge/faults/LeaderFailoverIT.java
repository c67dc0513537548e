package dev.ssebridge.bridge.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ssebridge.bridge.support.BridgeFixture;
import dev.ssebridge.bridge.support.ResumingClient;
import dev.ssebridge.bridge.support.RunningBridge;
import dev.ssebridge.bridge.support.SseClient;
import dev.ssebridge.testsupport.InProcessKafkaBroker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A partition leader of a three-node cluster stops without handing its partitions over (as after {@code kill -9}),
 * and comes back, while records are written with {@code acks=all} and clients drop their streams at random and
 * resume with {@code Last-Event-ID}: every acknowledged record reaches every client once, in order per partition.
 * Kafka's own pause (the controller's session timeout, then a leader election) is the only one there may be.
 *
 * <p>The short version for CI (about 20 s of traffic); the long series, with a rolling restart, partitions added and
 * 1,000 streams, is the benchmark {@link FailoverSeriesIT}.
 */
class LeaderFailoverIT {

    private static final Logger log = LoggerFactory.getLogger(LeaderFailoverIT.class);
    private static final int PARTITIONS = 3;
    private static final String EVENT = "training_progress";
    private static final Duration WAIT = Duration.ofSeconds(60);
    /** Records a second, and the moments of the run, from its start. */
    private static final int RATE = 20;
    private static final Duration KILL_AT = Duration.ofSeconds(4);
    private static final Duration RESTART_AT = Duration.ofSeconds(10);
    private static final Duration WRITE_FOR = Duration.ofSeconds(16);
    private static final int CLIENTS = 6;
    /** Per client and 100 ms tick: about one resume every 1.5 s each. */
    private static final double DROP_CHANCE = 1.0 / 15;

    @RegisterExtension
    final BridgeFixture fixture = BridgeFixture.withPartitions(PARTITIONS)
            .onOwnBroker(InProcessKafkaBroker::startThreeNodes)
            // Sends wait through the election instead of failing; the idempotent producer keeps their order.
            .producerSettings(Map.of("delivery.timeout.ms", 120_000, "request.timeout.ms", 5_000));

    @Test
    void everyAcknowledgedRecordReachesEveryResumingClientOnceInOrderAcrossALeaderKillAndItsReturn() throws Exception {
        InProcessKafkaBroker cluster = (InProcessKafkaBroker) fixture.broker();
        RunningBridge bridge = fixture.bridge();
        String topic = fixture.topic("training");
        long seed = Long.getLong("failover.seed", System.nanoTime());
        log.info("Resumes drawn with seed {} (-Dfailover.seed={} draws them again)", seed, seed);
        SplittableRandom random = new SplittableRandom(seed);
        List<ResumingClient> clients = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            clients.add(new ResumingClient(bridge, "/api/v1/sse/training", EVENT, seq -> seq % PARTITIONS));
        }
        SseClient watcher = bridge.connect("/api/v1/sse/training"); // never dropped: shows the pause
        watcher.awaitConnected();
        clients.forEach(ResumingClient::awaitConnected);

        List<Future<RecordMetadata>> sent = new ArrayList<>();
        int killed = -1;
        boolean restarted = false;
        long start = System.nanoTime();
        for (int seq = 0; elapsed(start).compareTo(WRITE_FOR) < 0; seq++) {
            String value = "{\"task_id\":\"task-" + (seq % 7) + "\",\"seq\":" + seq + "}";
            sent.add(fixture.producer().sendAsync(new ProducerRecord<>(topic, seq % PARTITIONS, null, value.getBytes())));
            if (killed < 0 && elapsed(start).compareTo(KILL_AT) >= 0) {
                killed = cluster.leaderOf(topic, 0);
                log.info("Killing node {}, the leader of {}-0, at record {}", killed, topic, seq);
                cluster.killNode(killed);
            }
            if (killed >= 0 && !restarted && elapsed(start).compareTo(RESTART_AT) >= 0) {
                log.info("Restarting node {} at record {}", killed, seq);
                cluster.restartNode(killed);
                restarted = true;
            }
            for (ResumingClient client : clients) {
                if (random.nextDouble() < DROP_CHANCE * 10.0 / RATE) {
                    client.resume();
                }
            }
            // A producer at a fixed rate: the pacing is the test's, not a wait for the bridge.
            LockSupport.parkNanos(start + (seq + 1) * (1_000_000_000L / RATE) - System.nanoTime());
        }
        Set<Integer> acknowledged = new HashSet<>();
        for (int seq = 0; seq < sent.size(); seq++) {
            try {
                sent.get(seq).get(WAIT.toSeconds(), TimeUnit.SECONDS);
                acknowledged.add(seq);
            } catch (ExecutionException e) {
                log.warn("Record {} not acknowledged: {}", seq, e.getCause().toString());
            }
        }
        assertThat(acknowledged).as("acknowledged records").hasSizeGreaterThan(sent.size() * 9 / 10);

        int resumes = 0;
        for (ResumingClient client : clients) {
            client.resume();
            await().atMost(WAIT).until(() -> client.received().containsAll(acknowledged));
            client.assertExactlyOnceInOrder();
            resumes += client.resumes();
        }
        await().atMost(WAIT).until(() -> new HashSet<>(watcher.seqs(EVENT)).containsAll(acknowledged));
        log.info("{} records written, {} acknowledged; node {} killed and restarted; {} resumes over {} clients, all "
                        + "exact; the longest pause at the always-connected client {}", sent.size(), acknowledged.size(),
                killed, resumes, CLIENTS, SseClient.longestGap(watcher.named(EVENT)));
        ResumingClient.assertExactlyOnceInOrder(watcher.seqs(EVENT), "the always-connected client",
                seq -> seq % PARTITIONS);
        watcher.close();
        clients.forEach(ResumingClient::close);
    }

    private static Duration elapsed(long start) {
        return Duration.ofNanos(System.nanoTime() - start);
    }
}
