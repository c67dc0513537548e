package dev.ssebridge.bridge.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ssebridge.bridge.support.BridgeFixture;
import dev.ssebridge.bridge.support.ResumingClient;
import dev.ssebridge.bridge.support.RunningBridge;
import dev.ssebridge.testsupport.InProcessKafkaBroker;
import dev.ssebridge.testsupport.SseSwarm;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A benchmark, the long series of {@link LeaderFailoverIT}: on three brokers (replication 3, {@code min.insync.replicas}
 * 2), while records are written at a fixed rate with {@code acks=all} and {@code --clients} streams stay connected (plus
 * clients that drop and resume at random): a partition leader stopped without a controlled shutdown and started again;
 * a rolling restart of all three (each stopped, started, and back in sync before the next); partitions added (3 to 6).
 * Every acknowledged record must reach every stream exactly once.
 *
 * <p>Each record's path is split where Kafka's part ends: the producer's acknowledgement. Kafka's share is send to
 * acknowledgement (a leader election stalls it); the bridge's is acknowledgement to arrival at a client (the tail may
 * read a record before the producer hears its acknowledgement: then 0). Reported per phase of the series.
 *
 * <p>{@code ./mvnw -pl bridge-service verify -Dit.test=FailoverSeriesIT -Dbench.failover=true
 * [-Dbench.failover.clients=1000 -Dbench.failover.rate=10]}; results in {@code benchmarks/RESULTS.md}.
 */
@EnabledIfSystemProperty(named = "bench.failover", matches = "true")
class FailoverSeriesIT {

    private static final Logger log = LoggerFactory.getLogger(FailoverSeriesIT.class);
    private static final String EVENT = "training_progress";
    private static final int CLIENTS = Integer.getInteger("bench.failover.clients", 1000);
    private static final int RATE = Integer.getInteger("bench.failover.rate", 10);
    private static final int RESUMERS = 8;
    private static final int MAX_RECORDS = RATE * 1200;
    /** The series, from the start of writing: each step waits for the previous one. */
    private static final Duration STEADY = Duration.ofSeconds(30);
    private static final Duration LEADER_DOWN = Duration.ofSeconds(30);
    private static final Duration BETWEEN = Duration.ofSeconds(20);
    private static final Duration NODE_DOWN = Duration.ofSeconds(10);
    private static final Duration AFTER = Duration.ofSeconds(30);
    private static final Duration WAIT = Duration.ofSeconds(120);

    @RegisterExtension
    final BridgeFixture fixture = BridgeFixture.withPartitions(3)
            .onOwnBroker(InProcessKafkaBroker::startThreeNodes)
            .producerSettings(Map.of("delivery.timeout.ms", 120_000, "request.timeout.ms", 5_000))
            .settings(Map.of("bridge.admission.max-connections", 100_000,
                    "bridge.admission.max-connections-per-address", 100_000,
                    "bridge.admission.connection-rate-per-address", 100_000,
                    "bridge.admission.connection-burst-per-address", 100_000,
                    "bridge.admission.max-tcp-connections-per-address", 100_000,
                    "bridge.admission.max-awaiting-per-address", 100_000));

    private final long[] sendNanos = new long[MAX_RECORDS];
    private final AtomicLongArray ackNanos = new AtomicLongArray(MAX_RECORDS);
    private final AtomicIntegerArray arrivals = new AtomicIntegerArray(MAX_RECORDS);
    private final AtomicLongArray lastArrival = new AtomicLongArray(MAX_RECORDS);
    private final int[] partitionOf = new int[MAX_RECORDS];
    private final byte[] phaseOf = new byte[MAX_RECORDS];
    /** Send to arrival at a stream, per phase; recorded on the swarm's one thread. */
    private final Histogram[] latency = new Histogram[Phase.values().length];
    private final List<Mark> marks = new CopyOnWriteArrayList<>();
    private volatile Phase phase = Phase.STEADY;
    private volatile int partitions = 3;

    /** Where the series is; a record belongs to the phase it was sent in. */
    private enum Phase {
        STEADY("steady, before"), LEADER_KILLED("leader of partition 0 killed"), LEADER_BACK("that node back, in sync"),
        ROLLING("rolling restart, node by node"), PARTITIONS_ADDED("partitions 3 to 6"), AFTER("after");

        final String label;

        Phase(String label) {
            this.label = label;
        }
    }

    /** A moment of the series, for the log. */
    private record Mark(long nanos, String what) {
    }

    @Test
    void theSeriesOfKafkaFailuresLosesNothingAndShowsKafkasPauseApartFromTheBridges() throws Exception {
        for (int i = 0; i < latency.length; i++) {
            latency[i] = new Histogram(TimeUnit.MINUTES.toNanos(5), 3);
        }
        InProcessKafkaBroker cluster = (InProcessKafkaBroker) fixture.broker();
        RunningBridge bridge = fixture.bridge();
        String topic = fixture.topic("training");
        SplittableRandom random = new SplittableRandom(Long.getLong("bench.failover.seed", 26));
        try (SseSwarm swarm = new SseSwarm(0, (seq, data) -> arrived(seq))) {
            List<SseSwarm.Connection> streams = swarm.open(bridge.port(), "/api/v1/sse/training", EVENT, CLIENTS,
                    Duration.ofSeconds(120));
            List<ResumingClient> resumers = new ArrayList<>();
            for (int i = 0; i < RESUMERS; i++) {
                resumers.add(new ResumingClient(bridge, "/api/v1/sse/training", EVENT, seq -> partitionOf[seq]));
            }
            resumers.forEach(ResumingClient::awaitConnected);
            log.info("{} streams and {} resuming clients connected; writing {} records/s", CLIENTS, RESUMERS, RATE);

            List<Future<RecordMetadata>> acks = new ArrayList<>();
            long start = System.nanoTime();
            ExecutorService script = Executors.newSingleThreadExecutor();
            Future<?> series = script.submit(() -> runSeries(cluster, topic, start));
            int sent = 0;
            while (!series.isDone() && sent < MAX_RECORDS) {
                int seq = sent++;
                int partition = seq % partitions;
                partitionOf[seq] = partition;
                phaseOf[seq] = (byte) phase.ordinal();
                String value = "{\"task_id\":\"task-" + (seq % 7) + "\",\"seq\":" + seq + "}";
                sendNanos[seq] = System.nanoTime();
                acks.add(fixture.producer().sendAsync(new ProducerRecord<>(topic, partition, null, value.getBytes()),
                        () -> ackNanos.set(seq, System.nanoTime())));
                for (ResumingClient client : resumers) {
                    if (random.nextDouble() < 1.0 / (1.5 * RATE)) {
                        client.resume();
                    }
                }
                // A producer at a fixed rate: the pacing is the benchmark's.
                LockSupport.parkNanos(start + (seq + 1) * (1_000_000_000L / RATE) - System.nanoTime());
            }
            series.get();
            script.shutdown();
            List<Integer> acknowledged = new ArrayList<>();
            for (int seq = 0; seq < sent; seq++) {
                try {
                    acks.get(seq).get(WAIT.toSeconds(), TimeUnit.SECONDS);
                    acknowledged.add(seq);
                } catch (ExecutionException e) {
                    log.warn("Record {} not acknowledged: {}", seq, e.getCause().toString());
                }
            }
            await().atMost(WAIT).until(() -> acknowledged.stream().allMatch(seq -> arrivals.get(seq) >= CLIENTS));
            for (ResumingClient client : resumers) {
                client.resume();
                await().atMost(WAIT).until(() -> client.received().containsAll(acknowledged));
                client.assertExactlyOnceInOrder();
            }
            report(sent, acknowledged, streams, resumers, start);
            resumers.forEach(ResumingClient::close);
        }
    }

    /** The figures per phase, as RESULTS.md shows them, and the exactness checks behind them. */
    private void report(int sent, List<Integer> acknowledged, List<SseSwarm.Connection> streams,
                        List<ResumingClient> resumers, long start) {
        int missing = 0;
        for (SseSwarm.Connection stream : streams) {
            for (int seq : acknowledged) {
                missing += stream.has(seq) ? 0 : 1;
            }
        }
        long duplicated = acknowledged.stream().filter(seq -> arrivals.get(seq) > CLIENTS).count();
        int resumes = resumers.stream().mapToInt(ResumingClient::resumes).sum();
        StringBuilder table = new StringBuilder("\n| phase | records | delivered / expected | p50 | p99 | max | Kafka: "
                + "send to ack, max | bridge: ack to last stream, max |\n|---|---|---|---|---|---|---|---|\n");
        for (Phase p : Phase.values()) {
            List<Integer> of = acknowledged.stream().filter(seq -> phaseOf[seq] == p.ordinal()).toList();
            if (of.isEmpty()) {
                continue;
            }
            long delivered = of.stream().mapToLong(arrivals::get).sum();
            long kafkaMax = of.stream().mapToLong(seq -> ackNanos.get(seq) - sendNanos[seq]).max().orElse(0);
            long bridgeMax = of.stream().mapToLong(seq -> Math.max(0, lastArrival.get(seq) - ackNanos.get(seq)))
                    .max().orElse(0);
            Histogram h = latency[p.ordinal()];
            table.append(String.format("| %s | %d | %,d / %,d | %d ms | %d ms | %d ms | %d ms | %d ms |%n", p.label,
                    of.size(), delivered, (long) of.size() * CLIENTS, millis(h.getValueAtPercentile(50)),
                    millis(h.getValueAtPercentile(99)), millis(h.getMaxValue()), millis(kafkaMax), millis(bridgeMax)));
        }
        StringBuilder series = new StringBuilder();
        marks.forEach(m -> series.append(String.format("%n  %6.1f s  %s", (m.nanos() - start) / 1e9, m.what())));
        log.info("Failover series: {} clients, {} records/s; {} written, {} acknowledged; {} missing deliveries, {} "
                + "records delivered twice somewhere; {} resumes over {} resuming clients, all exact.{}{}", CLIENTS,
                RATE, sent, acknowledged.size(), missing, duplicated, resumes, RESUMERS, series, table);
        assertThat(acknowledged).as("acknowledged").hasSizeGreaterThan(sent * 9 / 10);
        assertThat(missing).as("deliveries missing at the always-connected streams").isZero();
        assertThat(duplicated).as("records delivered twice to a stream").isZero();
    }

    private static long millis(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }

    private void arrived(int seq) {
        if (seq < 0 || seq >= MAX_RECORDS) {
            return;
        }
        long now = System.nanoTime();
        arrivals.incrementAndGet(seq);
        lastArrival.accumulateAndGet(seq, now, Math::max);
        latency[phaseOf[seq]].recordValue(Math.max(0, now - sendNanos[seq]));
    }

    /** The series of failures, on its own thread while the main one writes. */
    private void runSeries(InProcessKafkaBroker cluster, String topic, long start) {
        park(start, STEADY);
        int leader = cluster.leaderOf(topic, 0);
        bounce(cluster, topic, leader, "(leader of partition 0) killed", Phase.LEADER_KILLED, LEADER_DOWN,
                Phase.LEADER_BACK);
        park(System.nanoTime(), BETWEEN);
        mark(Phase.ROLLING, "rolling restart begins");
        for (int node : cluster.nodeIds()) {
            bounce(cluster, topic, node, "stopped", Phase.ROLLING, NODE_DOWN, Phase.ROLLING);
        }
        park(System.nanoTime(), BETWEEN);
        try (Admin admin = Admin.create(cluster.adminClientProperties())) {
            admin.createPartitions(Map.of(topic, NewPartitions.increaseTo(6))).all().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        partitions = 6;
        mark(Phase.PARTITIONS_ADDED, "partitions 3 to 6");
        park(System.nanoTime(), BETWEEN);
        mark(Phase.AFTER, "after");
        park(System.nanoTime(), AFTER);
    }

    /** Node {@code node} stopped without a controlled shutdown for {@code down}, started, and back in sync. */
    private void bounce(InProcessKafkaBroker cluster, String topic, int node, String stopped, Phase during,
                        Duration down, Phase after) {
        mark(during, "node " + node + " " + stopped);
        cluster.killNode(node);
        park(System.nanoTime(), down);
        cluster.restartNode(node);
        awaitInSync(cluster, topic);
        mark(after, "node " + node + " back and in sync");
    }

    private void mark(Phase next, String what) {
        phase = next;
        marks.add(new Mark(System.nanoTime(), what));
        log.info("Series: {}", what);
    }

    private static void awaitInSync(InProcessKafkaBroker cluster, String topic) {
        await().atMost(WAIT).pollInterval(Duration.ofMillis(500)).until(() -> cluster.fewestInSync(topic) == 3);
    }

    /** Until {@code from + length}: the series' schedule (a window of time is what is measured). */
    private static void park(long from, Duration length) {
        long until = from + length.toNanos();
        for (long left = until - System.nanoTime(); left > 0; left = until - System.nanoTime()) {
            LockSupport.parkNanos(left);
        }
    }
}
