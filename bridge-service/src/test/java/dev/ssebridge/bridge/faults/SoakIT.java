package dev.ssebridge.bridge.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ssebridge.bridge.channel.Channel;
import dev.ssebridge.bridge.channel.Channels;
import dev.ssebridge.bridge.connection.ConnectionRegistry;
import dev.ssebridge.bridge.cursor.Cursor;
import dev.ssebridge.bridge.cursor.CursorCodec;
import dev.ssebridge.bridge.kafka.KafkaReplayReader;
import dev.ssebridge.bridge.support.RunningBridge;
import dev.ssebridge.bridge.support.SimulatorsProcess;
import dev.ssebridge.bridge.support.SseParser;
import dev.ssebridge.bridge.support.TestChannels;
import dev.ssebridge.testsupport.InProcessKafkaBroker;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.netty.http.client.HttpClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * A bounded soak: the simulators (their jar, in a process of their own) writing the four streams at a
 * steady rate, a few hundred clients connecting and leaving at random with their cursors, one broker
 * restart in the middle. In the end no client lost or repeated an event, and connections, Kafka
 * consumers, threads and heap are back where they started.
 *
 * <p>Each delivered event is identified by its position: the partition whose offset its {@code id:}
 * moved on, compared with the id before it. Once the simulators have stopped, the topics are read back
 * from Kafka: every record a client should have (at or after where its first connection started) must
 * have reached it exactly once, carrying that record's value.
 *
 * <p>Defaults fit CI (about two minutes). A longer run by hand:
 * {@code ./mvnw -pl bridge-service verify -Dit.test=SoakIT -Dsoak.duration=PT30M -Dsoak.clients=400}.
 */
class SoakIT {

    private static final Duration DURATION = Duration.parse(System.getProperty("soak.duration", "PT75S"));
    private static final int CLIENTS = Integer.getInteger("soak.clients", 200);
    /** How often each simulator ticks; a tick writes one record per task, run or portfolio. */
    private static final String TICK = System.getProperty("soak.tick", "100ms");
    private static final List<String> CHANNELS = List.of("training", "backtest", "alerts", "dashboard");
    /** Which simulator writes each channel's topic. */
    private static final Map<String, String> SIMULATORS = Map.of(
            "training", "training", "backtest", "backtest", "alerts", "risk", "dashboard", "portfolio");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** What Kafka holds once the simulators stopped: channel -> partition -> offset -> value hash. */
    private final Map<String, Map<Integer, Map<Long, Integer>>> written = new HashMap<>();
    /** The value each position carried the first time any client got it (a hash of it). */
    private final Map<Position, Integer> delivered = new ConcurrentHashMap<>();

    /** Where a record is: its channel, partition and offset. */
    private record Position(String channel, int partition, long offset) {
    }

    @Test
    void manyClientsComingAndGoingThroughABrokerRestartLoseNothingAndLeakNothing() throws Exception {
        long seed = Long.getLong("soak.seed", System.nanoTime());
        try (InProcessKafkaBroker kafka = InProcessKafkaBroker.start()) {
            String suffix = UUID.randomUUID().toString().substring(0, 6);
            Map<String, String> topics = new HashMap<>();
            CHANNELS.forEach(c -> topics.put(c, "soak." + c + "." + suffix));
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
                admin.createTopics(topics.values().stream().map(t -> new NewTopic(t, 3, (short) 1)).toList())
                        .all().get(30, TimeUnit.SECONDS);
            }
            TestChannels channels = new TestChannels(topics);
            try (RunningBridge bridge = RunningBridge.start(channels, Map.of(
                    "bridge.kafka.bootstrap-servers", kafka.bootstrapServers(),
                    "bridge.ring.max-events", "300",
                    "bridge.stream.ping-interval", "2s",
                    "bridge.replay.idle-timeout", "5s"))) {
                SimulatorsProcess simulators = startSimulators(kafka.bootstrapServers(), topics, seed);
                // Warm up, then take the baseline: the pools every run needs exist by then.
                SplittableRandom seeds = new SplittableRandom(seed);
                List<Client> warmUp = new ArrayList<>();
                for (int i = 0; i < 10; i++) {
                    warmUp.add(new Client(bridge, seeds.split()));
                }
                runChurn(warmUp, Duration.ofSeconds(8), null);
                finish(warmUp);
                assertThat(simulators.isAlive()).as("simulators running; their output:%n%s", simulators.output())
                        .isTrue();
                Baseline baseline = baseline(bridge);

                List<Client> clients = new ArrayList<>();
                for (int i = 0; i < CLIENTS; i++) {
                    clients.add(new Client(bridge, seeds.split()));
                }
                log("churn with " + CLIENTS + " clients for " + DURATION);
                runChurn(clients, DURATION, kafka);
                log("churn over");
                simulators.close();
                readBack(kafka.bootstrapServers(), topics);
                log("simulators stopped; " + written.values().stream().flatMap(p -> p.values().stream())
                        .mapToInt(Map::size).sum() + " records written; final catch-up");
                assertThat(written.values()).as("records written by each simulator")
                        .allSatisfy(partitions -> assertThat(partitions).isNotEmpty());

                // Every client resumes once more, all at once, and waits until it has all it should.
                clients.forEach(Client::expectEverythingWritten);
                clients.forEach(Client::connect);
                try {
                    await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
                            .until(() -> clients.stream().allMatch(Client::hasAllExpected));
                } catch (org.awaitility.core.ConditionTimeoutException e) {
                    // reported below, client by client
                }
                log("caught up");
                List<String> problems = new ArrayList<>();
                for (Client client : clients) {
                    problems.addAll(client.problems());
                }
                delivered.forEach((position, hash) -> {
                    Integer value = written.get(position.channel()).getOrDefault(position.partition(), Map.of())
                            .get(position.offset());
                    if (!hash.equals(value)) {
                        problems.add(position + ": delivered a value that is not the record's (or no record there)");
                    }
                });
                assertThat(problems).as("seed %d", seed).isEmpty();
                assertThat(clients.stream().mapToInt(c -> c.connections.get()).sum()).isGreaterThan(CLIENTS * 3);
                assertThat(clients.stream().mapToLong(Client::received).sum()).isGreaterThan(CLIENTS * 10L);

                // Back to baseline: nothing left open, no threads or heap kept.
                finish(clients);
                log("clients gone");
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                    assertThat(bridge.bean(ConnectionRegistry.class).count()).isZero();
                    assertThat(bridge.bean(KafkaReplayReader.class).openConsumers()).isZero();
                    assertThat(bridge.openKafkaConsumers()).isEqualTo(baseline.consumers());
                    assertThat(threads()).isLessThanOrEqualTo(baseline.threads() + 8);
                });
                long heap = heapAfterGc();
                System.out.printf("soak: %d clients, %d connections, %d events received, seed %d; heap after GC "
                                + "%d MB at start, %d MB at end; threads %d at start, %d at end%n", CLIENTS,
                        clients.stream().mapToInt(c -> c.connections.get()).sum(),
                        clients.stream().mapToLong(Client::received).sum(), seed, baseline.heap() >> 20,
                        heap >> 20, baseline.threads(), threads());
                assertThat(heap - baseline.heap()).isLessThan(48L << 20);
            }
        }
    }

    /**
     * The simulators' jar writing every stream at one tick interval, to this run's topics. Sends block
     * and retry through the broker restart rather than give up (their defaults would drop a record
     * after a minute without metadata; the soak restarts for ten seconds, well inside either).
     */
    private static SimulatorsProcess startSimulators(String bootstrap, Map<String, String> topics, long seed) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("simulators.bootstrap-servers", bootstrap);
        settings.put("simulators.seed", Long.toString(seed));
        settings.put("simulators.create-topics", "false");
        settings.put("simulators.producer.max.block.ms", "180000");
        settings.put("simulators.producer.delivery.timeout.ms", "180000");
        settings.put("simulators.training.concurrent-tasks", "4");
        settings.put("simulators.risk.portfolios", "20");
        settings.put("simulators.portfolio.portfolios", "3");
        SIMULATORS.forEach((channel, simulator) -> {
            settings.put("simulators." + simulator + ".topic", topics.get(channel));
            settings.put("simulators." + simulator + ".interval", TICK);
        });
        return SimulatorsProcess.start(settings, Path.of("target", "soak-simulators.log"));
    }

    /** Reads every record of the run's topics back from Kafka, keeping a hash of each value. */
    private void readBack(String bootstrap, Map<String, String> topics) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            for (String channel : CHANNELS) {
                List<TopicPartition> partitions = consumer.partitionsFor(topics.get(channel)).stream()
                        .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
                Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
                consumer.assign(partitions);
                consumer.seekToBeginning(partitions);
                Map<Integer, Map<Long, Integer>> byPartition = new HashMap<>();
                partitions.forEach(tp -> byPartition.put(tp.partition(), new HashMap<>()));
                await().atMost(Duration.ofSeconds(60)).until(() -> {
                    for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                        byPartition.get(record.partition()).put(record.offset(), valueHash(record.value()));
                    }
                    return partitions.stream().allMatch(tp -> consumer.position(tp) >= ends.get(tp));
                });
                byPartition.values().removeIf(Map::isEmpty);
                written.put(channel, byPartition);
            }
        }
    }

    /** The same hash for a value however its JSON is laid out (the bridge re-encodes it compactly). */
    private static int valueHash(byte[] value) {
        return JSON.readTree(value).toString().hashCode();
    }

    private void runChurn(List<Client> clients, Duration duration, InProcessKafkaBroker restartMidway) {
        Instant end = Instant.now().plus(duration);
        Instant restartAt = Instant.now().plus(duration.dividedBy(2));
        boolean restarted = restartMidway == null;
        clients.forEach(Client::start);
        while (Instant.now().isBefore(end)) {
            if (!restarted && Instant.now().isAfter(restartAt)) {
                log("stopping the broker");
                restartMidway.stopBroker();
                log("broker stopped");
                // Down for ten seconds while clients keep coming and going.
                LockSupport.parkNanos(Duration.ofSeconds(10).toNanos());
                restartMidway.startBroker();
                log("broker started");
                restarted = true;
            }
            LockSupport.parkNanos(Duration.ofMillis(200).toNanos());
        }
        log("churn time over");
        // All stop at once: one by one, each would keep churning while the ones before it finish.
        clients.forEach(Client::stopChurning);
        clients.forEach(Client::awaitStopped);
    }

    private void finish(List<Client> clients) {
        clients.forEach(Client::disconnect);
    }

    private static void log(String what) {
        System.out.println("soak " + Instant.now() + ": " + what);
    }

    private record Baseline(int consumers, int threads, long heap) {
    }

    private static Baseline baseline(RunningBridge bridge) {
        await().atMost(Duration.ofSeconds(30)).until(() -> bridge.bean(ConnectionRegistry.class).count() == 0);
        return new Baseline(bridge.openKafkaConsumers(), threads(), heapAfterGc());
    }

    private static int threads() {
        return ManagementFactory.getThreadMXBean().getThreadCount();
    }

    private static long heapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /**
     * A client that keeps to one set of channels, connecting and leaving at random and resuming with its
     * last id. It keeps which positions it got (per channel and partition) and the events it could not
     * place by their id alone, to place once the topics have been read back.
     */
    private final class Client {
        private final RunningBridge bridge;
        private final CursorCodec codec;
        private final Channels registry;
        private final SplittableRandom random;
        private final List<String> channels;
        private final Map<String, Map<Integer, BitSet>> seen = new HashMap<>();
        private final Map<String, Map<Integer, BitSet>> expected = new HashMap<>();
        private final List<Unplaced> unplaced = new ArrayList<>();
        private final List<String> faults = new ArrayList<>();
        private final AtomicInteger connections = new AtomicInteger();
        private long received;
        private volatile boolean churning;
        private volatile Disposable current;
        private String lastId;
        private Cursor lastCursor;
        private String startId;
        private Thread thread;

        Client(RunningBridge bridge, SplittableRandom random) {
            this.bridge = bridge;
            this.codec = bridge.bean(CursorCodec.class);
            this.registry = bridge.bean(Channels.class);
            this.random = random;
            List<String> mine = new ArrayList<>();
            for (String c : CHANNELS) {
                if (random.nextInt(3) == 0) {
                    mine.add(c);
                }
            }
            this.channels = mine.isEmpty() ? List.of(CHANNELS.get(random.nextInt(CHANNELS.size()))) : mine;
            channels.forEach(c -> seen.put(c, new HashMap<>()));
        }

        void start() {
            churning = true;
            thread = new Thread(this::churn, "soak-client");
            thread.setDaemon(true);
            thread.start();
        }

        private void churn() {
            while (churning) {
                connect();
                LockSupport.parkNanos(Duration.ofMillis(500 + random.nextInt(4500)).toNanos());
                disconnect();
                if (churning) {
                    LockSupport.parkNanos(Duration.ofMillis(random.nextInt(3000)).toNanos());
                }
            }
        }

        void stopChurning() {
            churning = false;
            LockSupport.unpark(thread);
        }

        void awaitStopped() {
            try {
                thread.join(30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private String path() {
            return channels.size() == 1 ? "/api/v1/sse/" + channels.get(0)
                    : "/api/v1/sse/stream?channels=" + String.join(",", channels);
        }

        synchronized void connect() {
            connections.incrementAndGet();
            SseParser parser = new SseParser(this::onEvent);
            String id = lastId;
            // The stream goes on from the id it resumes with; a first connection has none yet.
            lastCursor = id == null ? null : codec.decode(id);
            current = HttpClient.create()
                    .headers(h -> {
                        if (id != null) {
                            h.set("Last-Event-ID", id);
                        }
                    })
                    .get().uri(bridge.baseUrl() + path())
                    .responseContent().asByteArray()
                    .subscribe(bytes -> parser.feed(bytes, 0, bytes.length), error -> { }, () -> { });
        }

        synchronized void disconnect() {
            if (current != null) {
                current.dispose();
                current = null;
            }
        }

        private synchronized void onEvent(SseParser.Event event) {
            Cursor before = lastCursor;
            if (event.lastId() != null && !event.lastId().equals(lastId)) {
                lastId = event.lastId();
                lastCursor = codec.decode(lastId);
            }
            if (event.name().equals("connected") && startId == null) {
                startId = event.lastId();
            }
            String channel = channelOf(event.name());
            if (channel == null) {
                return;
            }
            received++;
            // The record is the one just below the position its id moved on.
            Channel c = registry.require(channel);
            long[] from = before == null ? null : before.positions(c);
            long[] to = lastCursor == null ? null : lastCursor.positions(c);
            List<long[]> candidates = new ArrayList<>();
            for (int p = 0; to != null && p < to.length; p++) {
                boolean moved = from == null ? to[p] > 0 : p >= from.length || to[p] != from[p];
                if (moved) {
                    candidates.add(new long[] {p, to[p] - 1});
                }
            }
            int hash = JSON.readTree(event.data()).get("data").toString().hashCode();
            if (candidates.size() == 1) {
                got(channel, (int) candidates.get(0)[0], candidates.get(0)[1], hash);
            } else if (candidates.isEmpty()) {
                faults.add(path() + ": a " + event.name() + " event whose id did not move on (" + lastId + ")");
            } else {
                unplaced.add(new Unplaced(channel, candidates, hash));
            }
        }

        private void got(String channel, int partition, long offset, int hash) {
            BitSet bits = seen.get(channel).computeIfAbsent(partition, p -> new BitSet());
            if (bits.get((int) offset)) {
                faults.add(path() + ": " + channel + " partition " + partition + " offset " + offset + " twice");
            }
            bits.set((int) offset);
            Position position = new Position(channel, partition, offset);
            Integer first = delivered.putIfAbsent(position, hash);
            if (first != null && first != hash) {
                faults.add(path() + ": " + position + " carried another value");
            }
        }

        synchronized long received() {
            return received;
        }

        /**
         * Works out, once the topics have been read back, which records this client must have: those at
         * or after the position its first connection started from. Places the events its ids left open.
         */
        synchronized void expectEverythingWritten() {
            for (Unplaced event : unplaced) {
                List<long[]> matching = event.candidates().stream().filter(at -> Integer.valueOf(event.hash())
                        .equals(written.get(event.channel()).getOrDefault((int) at[0], Map.of()).get(at[1]))).toList();
                if (matching.isEmpty()) {
                    faults.add(path() + ": a " + event.channel() + " event matching no record its id points at");
                } else {
                    got(event.channel(), (int) matching.get(0)[0], matching.get(0)[1], event.hash());
                }
            }
            unplaced.clear();
            Cursor start = startId == null ? null : codec.decode(startId);
            for (String channel : channels) {
                long[] from = start == null ? null : start.positions(registry.require(channel));
                Map<Integer, BitSet> bits = new HashMap<>();
                written.get(channel).forEach((partition, offsets) -> offsets.keySet().forEach(offset -> {
                    if (from == null || partition >= from.length || offset >= from[partition]) {
                        bits.computeIfAbsent(partition, p -> new BitSet()).set(offset.intValue());
                    }
                }));
                expected.put(channel, bits);
            }
        }

        synchronized boolean hasAllExpected() {
            for (String channel : channels) {
                for (var partition : expected.get(channel).entrySet()) {
                    BitSet missing = (BitSet) partition.getValue().clone();
                    missing.andNot(seen.get(channel).getOrDefault(partition.getKey(), new BitSet()));
                    if (!missing.isEmpty()) {
                        return false;
                    }
                }
            }
            return true;
        }

        synchronized List<String> problems() {
            List<String> problems = new ArrayList<>(faults);
            for (String channel : channels) {
                expected.get(channel).forEach((partition, offsets) -> {
                    BitSet missing = (BitSet) offsets.clone();
                    missing.andNot(seen.get(channel).getOrDefault(partition, new BitSet()));
                    if (!missing.isEmpty()) {
                        problems.add(path() + ": missing " + missing.cardinality() + " of " + channel
                                + " partition " + partition + ", first offsets "
                                + missing.stream().limit(10).boxed().toList());
                    }
                });
            }
            return problems;
        }
    }

    /** An event whose id moved on in more than one partition (a first event after a stream began without one). */
    private record Unplaced(String channel, List<long[]> candidates, int hash) {
    }

    private static String channelOf(String event) {
        return switch (event) {
            case "training_progress" -> "training";
            case "backtest_progress" -> "backtest";
            case "risk_alert" -> "alerts";
            case "dashboard_update" -> "dashboard";
            default -> null;
        };
    }
}
