package dev.ssebridge.bridge.connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ssebridge.bridge.channel.Channels;
import dev.ssebridge.bridge.cursor.CursorCodec;
import dev.ssebridge.bridge.hub.ChannelHub;
import dev.ssebridge.bridge.hub.ChannelHubs;
import dev.ssebridge.bridge.support.BridgeFixture;
import dev.ssebridge.bridge.support.Produced;
import dev.ssebridge.bridge.support.RunningBridge;
import dev.ssebridge.bridge.support.SseClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Exactly-once resume under churn: a producer writes continuously to a 3-partition topic while clients
 * connect, read a random number of events, disconnect, stay away (briefly, so they resume from the
 * ring, or until their position has left the ring, so they resume from Kafka) and resume with their
 * last id. In the end each client must hold, per partition, exactly the produced sequence from its
 * start: no gap, no duplicate, order kept. Seeded; the seed is printed with any failure.
 */
class RandomizedResumeIT {

    private static final String EVENT = "training_progress";
    private static final String PATH = "/api/v1/sse/training";
    private static final int RING = 100;
    private static final int CLIENTS = 6;
    private static final int ROUNDS = 6;
    private static final Duration WAIT = Duration.ofSeconds(60);

    @RegisterExtension
    final BridgeFixture fixture = BridgeFixture.withPartitions(3).settings(Map.of("bridge.ring.max-events", RING));

    @Test
    void everyClientEndsWithExactlyTheProducedSequence() throws Exception {
        long seed = Long.getLong("resume.seed", System.nanoTime());
        RunningBridge bridge = fixture.bridge();
        Produced produced = new Produced(fixture.producer(), fixture.topic("training"));
        AtomicBoolean producing = new AtomicBoolean(true);
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS + 1);
        Future<?> writer = pool.submit(() -> {
            while (producing.get()) {
                produced.next();
            }
        });
        SplittableRandom seeds = new SplittableRandom(seed);
        List<Future<ClientRun>> runs = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            SplittableRandom random = seeds.split();
            int client = c;
            runs.add(pool.submit(() -> churn(bridge, produced, random, "c" + client)));
        }
        List<ClientRun> results = new ArrayList<>();
        for (Future<ClientRun> run : runs) {
            results.add(run.get(3, TimeUnit.MINUTES));
        }
        producing.set(false);
        writer.get(1, TimeUnit.MINUTES);
        pool.shutdown();

        CursorCodec codec = bridge.bean(CursorCodec.class);
        var training = bridge.bean(Channels.class).require("training");
        for (ClientRun run : results) {
            long[] start = codec.decode(run.startId).positions(training);
            int expected = produced.expectedFrom(start).values().stream().mapToInt(List::size).sum();
            try (SseClient last = bridge.connect(PATH, Map.of("Last-Event-ID", run.lastId))) {
                try {
                    await().atMost(WAIT).until(() -> run.seqs.size() + last.named(EVENT).size() >= expected);
                } catch (ConditionTimeoutException e) {
                    // Fall through: the comparison below shows what is missing.
                }
                run.seqs.addAll(last.seqs(EVENT));
            }
            assertThat(produced.asReceived(run.seqs))
                    .as("seed %d: per-partition offsets received by a client vs produced from its start: %s; "
                                    + "connections: %s", seed,
                            Produced.difference(produced.expectedFrom(start), produced.asReceived(run.seqs)), run.trace)
                    .isEqualTo(produced.expectedFrom(start));
        }
        ChannelHub hub = bridge.bean(ChannelHubs.class).of(training);
        assertThat(hub.counters().replaysFromRing()).as("seed %d: resumes from the ring", seed).isPositive();
        assertThat(hub.counters().replaysFromKafka()).as("seed %d: resumes from Kafka", seed).isPositive();
        await().atMost(WAIT).until(() -> bridge.openKafkaConsumers() == 4);
    }

    private static ClientRun churn(RunningBridge bridge, Produced produced, SplittableRandom random, String name) {
        ClientRun run = new ClientRun();
        String lastId = null;
        for (int round = 0; round < ROUNDS; round++) {
            Map<String, String> headers = lastId == null ? Map.of() : Map.of("Last-Event-ID", lastId);
            try (SseClient client = bridge.connect(PATH + "?client_id=" + name + "-r" + round, headers)) {
                String connectedId = client.awaitConnected().id();
                if (run.startId == null) {
                    run.startId = connectedId;
                }
                client.awaitNamed(EVENT, 1 + random.nextInt(30), WAIT);
                client.close();
                // One snapshot for both: an event still arriving must be in both or in neither.
                List<SseClient.Received> received = client.all();
                run.seqs.addAll(SseClient.seqs(received, EVENT));
                lastId = SseClient.lastEventId(received);
                run.trace.add(name + "-r" + round + " from " + connectedId + " to " + lastId);
            }
            int producedAtDisconnect = produced.all().size();
            // A client reading live resumes from the ring after a brief absence; once it has stayed away
            // long, it is behind and keeps resuming from Kafka. The first absence is always brief.
            if (round == 0 || random.nextBoolean()) {
                LockSupport.parkNanos(Duration.ofMillis(random.nextInt(20)).toNanos());
            } else {
                // Stay away until the client's position has certainly left the ring.
                await().atMost(WAIT).until(() -> produced.all().size() >= producedAtDisconnect + 2 * RING);
            }
        }
        run.lastId = lastId;
        return run;
    }

    private static final class ClientRun {
        String startId;
        String lastId;
        final List<Integer> seqs = new ArrayList<>();
        /** Each connection's starting and last id, for the failure message. */
        final List<String> trace = new ArrayList<>();
    }
}
