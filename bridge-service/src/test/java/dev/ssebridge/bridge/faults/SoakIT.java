package dev.ssebridge.bridge.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ssebridge.bridge.channel.Channels;
import dev.ssebridge.bridge.cursor.Cursor;
import dev.ssebridge.bridge.cursor.CursorCodec;
import dev.ssebridge.bridge.kafka.KafkaReplayReader;
import dev.ssebridge.bridge.stream.ConnectionRegistry;
import dev.ssebridge.bridge.support.RunningBridge;
import dev.ssebridge.bridge.support.SseParser;
import dev.ssebridge.bridge.support.TestChannels;
import dev.ssebridge.testsupport.InProcessKafkaBroker;
import dev.ssebridge.testsupport.TestProducer;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.netty.http.client.HttpClient;

/**
 * A bounded soak: records at a steady rate on four channels, a few hundred clients connecting and
 * leaving at random with their cursors, one broker restart in the middle. In the end no client lost or
 * repeated an event, and connections, Kafka consumers, threads and heap are back where they started.
 *
 * <p>Defaults fit CI (about two minutes). A longer run by hand:
 * {@code ./mvnw -pl bridge-service verify -Dit.test=SoakIT -Dsoak.duration=PT30M -Dsoak.clients=400}.
 */
class SoakIT {

    private static final Duration DURATION = Duration.parse(System.getProperty("soak.duration", "PT75S"));
    private static final int CLIENTS = Integer.getInteger("soak.clients", 200);
    private static final int RATE = Integer.getInteger("soak.rate", 80);
    private static final List<String> CHANNELS = List.of("training", "backtest", "alerts", "dashboard");
    private static final Pattern SEQ = Pattern.compile("\"seq\":(\\d+)");

    /** Where each produced record of each channel landed: channel -> seq -> {partition, offset}. */
    private final Map<String, Map<Integer, long[]>> produced = new ConcurrentHashMap<>();

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
                    "bridge.replay.idle-timeout", "5s"));
                 TestProducer producer = new TestProducer(kafka.bootstrapServers())) {
                CHANNELS.forEach(c -> produced.put(c, new ConcurrentHashMap<>()));
                AtomicBoolean producing = new AtomicBoolean(true);
                Thread writer = new Thread(() -> produce(producer, topics, producing), "soak-producer");
                writer.start();

                // Warm up, then take the baseline: the pools every run needs exist by then.
                SplittableRandom seeds = new SplittableRandom(seed);
                List<Client> warmUp = new ArrayList<>();
                for (int i = 0; i < 10; i++) {
                    warmUp.add(new Client(bridge, seeds.split()));
                }
                runChurn(warmUp, Duration.ofSeconds(8), null);
                finish(warmUp);
                Baseline baseline = baseline(bridge);

                List<Client> clients = new ArrayList<>();
                for (int i = 0; i < CLIENTS; i++) {
                    clients.add(new Client(bridge, seeds.split()));
                }
                log("churn with " + CLIENTS + " clients for " + DURATION);
                runChurn(clients, DURATION, kafka);
                log("churn over");
                producing.set(false);
                writer.join(30_000);
                producer.flush();

                log("producer stopped; final catch-up");
                // Every client resumes once more, all at once, and waits until it has all it should.
                clients.forEach(Client::expectEverythingProduced);
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
                assertThat(problems).as("seed %d", seed).isEmpty();
                assertThat(clients.stream().mapToInt(c -> c.connections.get()).sum()).isGreaterThan(CLIENTS * 3);

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
                System.out.printf("soak: %d clients, %d connections, seed %d; heap after GC %d MB at start, %d MB at end; "
                                + "threads %d at start, %d at end%n", CLIENTS,
                        clients.stream().mapToInt(c -> c.connections.get()).sum(), seed, baseline.heap() >> 20,
                        heap >> 20, baseline.threads(), threads());
                assertThat(heap - baseline.heap()).isLessThan(48L << 20);
            }
        }
    }

    private void produce(TestProducer producer, Map<String, String> topics, AtomicBoolean producing) {
        int seq = 0;
        long start = System.nanoTime();
        while (producing.get()) {
            for (String channel : CHANNELS) {
                int n = seq;
                String value = "{\"seq\":" + n + ",\"severity\":\"low\",\"task_id\":\"t-" + (n % 9) + "\",\"progress\":1}";
                producer.sendAsync(topics.get(channel), "e-" + (n % 9), value.getBytes(),
                        meta -> produced.get(channel).put(n, new long[] {meta.partition(), meta.offset()}));
            }
            seq++;
            LockSupport.parkNanos(start + seq * (1_000_000_000L / (RATE / CHANNELS.size())) - System.nanoTime());
        }
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
     * last id; it keeps only which sequence numbers it got, per channel.
     */
    private final class Client {
        private final RunningBridge bridge;
        private final SplittableRandom random;
        private final List<String> channels;
        private final Map<String, BitSet> seen = new HashMap<>();
        private final Map<String, BitSet> expected = new HashMap<>();
        private final AtomicInteger duplicates = new AtomicInteger();
        private final AtomicInteger connections = new AtomicInteger();
        private volatile boolean churning;
        private volatile Disposable current;
        private volatile String lastId;
        private volatile String startId;
        private Thread thread;

        Client(RunningBridge bridge, SplittableRandom random) {
            this.bridge = bridge;
            this.random = random;
            List<String> mine = new ArrayList<>();
            for (String c : CHANNELS) {
                if (random.nextInt(3) == 0) {
                    mine.add(c);
                }
            }
            this.channels = mine.isEmpty() ? List.of(CHANNELS.get(random.nextInt(CHANNELS.size()))) : mine;
            channels.forEach(c -> seen.put(c, new BitSet()));
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
            if (event.lastId() != null) {
                lastId = event.lastId();
            }
            if (event.name().equals("connected") && startId == null) {
                startId = event.lastId();
            }
            String channel = channelOf(event.name());
            if (channel == null) {
                return;
            }
            Matcher seq = SEQ.matcher(event.data());
            if (seq.find()) {
                int n = Integer.parseInt(seq.group(1));
                BitSet bits = seen.get(channel);
                if (bits.get(n)) {
                    duplicates.incrementAndGet();
                }
                bits.set(n);
            }
        }

        /**
         * Works out, once the producer has stopped, which records this client must have: those at or
         * after the position its first connection started from.
         */
        void expectEverythingProduced() {
            Cursor start = bridge.bean(CursorCodec.class).decode(startId);
            for (String channel : channels) {
                long[] from = start.positions(bridge.bean(Channels.class).require(channel));
                BitSet bits = new BitSet();
                produced.get(channel).forEach((seq, where) -> {
                    if (from == null || where[1] >= from[(int) where[0]]) {
                        bits.set(seq);
                    }
                });
                expected.put(channel, bits);
            }
        }

        synchronized boolean hasAllExpected() {
            for (String channel : channels) {
                BitSet missing = (BitSet) expected.get(channel).clone();
                missing.andNot(seen.get(channel));
                if (!missing.isEmpty()) {
                    return false;
                }
            }
            return true;
        }

        synchronized List<String> problems() {
            List<String> problems = new ArrayList<>();
            if (duplicates.get() > 0) {
                problems.add(path() + ": " + duplicates.get() + " duplicates");
            }
            for (String channel : channels) {
                BitSet missing = (BitSet) expected.get(channel).clone();
                missing.andNot(seen.get(channel));
                if (!missing.isEmpty()) {
                    problems.add(path() + ": missing " + missing.cardinality() + " of " + channel + ", first seqs "
                            + missing.stream().limit(10).boxed().toList());
                }
            }
            return problems;
        }
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
