package dev.ssebridge.bridge.connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ssebridge.bridge.channel.Channel;
import dev.ssebridge.bridge.channel.Channels;
import dev.ssebridge.bridge.cursor.CursorCodec;
import dev.ssebridge.bridge.hub.ChannelHubs;
import dev.ssebridge.bridge.kafka.KafkaReplayReader;
import dev.ssebridge.bridge.support.BridgeFixture;
import dev.ssebridge.bridge.support.Produced;
import dev.ssebridge.bridge.support.RunningBridge;
import dev.ssebridge.bridge.support.SseClient;
import dev.ssebridge.testsupport.TestProducer;
import dev.ssebridge.testsupport.TestTopics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ResumeIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String EVENT = "training_progress";
    private static final String PATH = "/api/v1/sse/training";

    @RegisterExtension
    final BridgeFixture fixture = BridgeFixture.withPartitions(3).startedByEachTest();
    /** For the test that wants every record on one partition; its topics are made only if a test asks. */
    @RegisterExtension
    final BridgeFixture onePartition = BridgeFixture.withPartitions(1).startedByEachTest();

    private final List<AutoCloseable> open = new ArrayList<>();
    private Produced produced;

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    @Test
    void reconnectInsideTheRingGetsExactlyWhatItMissedWithoutAKafkaConsumer() {
        RunningBridge bridge = bridge(fixture, Map.of());
        SseClient first = track(bridge.connect(PATH));
        long[] start = startOf(bridge, first.awaitConnected().id());
        produced.next(10);
        first.awaitNamed(EVENT, 10, WAIT);
        first.close();
        String lastId = first.lastEventId();
        produced.next(15);

        SseClient resumed = track(bridge.connect(PATH, Map.of("Last-Event-ID", lastId)));
        produced.next(5);

        resumed.awaitNamed(EVENT, 20, WAIT);
        List<Integer> all = new ArrayList<>(first.seqs(EVENT));
        all.addAll(resumed.seqs(EVENT));
        assertThat(produced.asReceived(all)).isEqualTo(produced.expectedFrom(start));
        assertThat(resumed.awaitConnected().id()).isEqualTo(lastId);
        assertThat(bridge.bean(KafkaReplayReader.class).consumersCreated()).isZero();
        assertThat(hub(bridge).counters().replaysFromRing()).isEqualTo(1);
        assertThat(bridge.openKafkaConsumers()).isEqualTo(4);
    }

    @Test
    void theConnectedIdAloneResumesWithoutLoss() {
        RunningBridge bridge = bridge(fixture, Map.of());
        SseClient first = track(bridge.connect(PATH));
        String connectedId = first.awaitConnected().id();
        first.close();
        produced.next(12);

        SseClient resumed = track(bridge.connect(PATH + "?last_event_id=" + connectedId));

        resumed.awaitNamed(EVENT, 12, WAIT);
        assertThat(produced.asReceived(resumed.seqs(EVENT))).isEqualTo(produced.expectedFrom(startOf(bridge, connectedId)));
    }

    @Test
    void outsideTheRingOneShortLivedKafkaConsumerReplaysAndIsClosedAfterwards() {
        RunningBridge bridge = bridge(fixture, Map.of("bridge.ring.max-events", "5"));
        leaveAndResume(bridge, bridge, 4, 40, 3);
        KafkaReplayReader replay = bridge.bean(KafkaReplayReader.class);
        assertThat(replay.consumersCreated()).isEqualTo(1);
        await().atMost(WAIT).until(() -> replay.openConsumers() == 0 && bridge.openKafkaConsumers() == 4);
        assertThat(hub(bridge).counters().replaysFromKafka()).isEqualTo(1);
        var status = tools.jackson.databind.json.JsonMapper.builder().build().readTree(bridge.webClient().get()
                .uri("/api/v1/sse/status").retrieve().bodyToMono(String.class).block(WAIT));
        assertThat(status.at("/channels/training/replays/kafka").asLong()).isEqualTo(1);
        assertThat(status.at("/channels/training/replays/ring").asLong()).isZero();
        assertThat(status.get("replay_consumers_open").asInt()).isZero();
    }

    @Test
    void aClientThatGoesAwayMidReplayClosesItsKafkaConsumer() throws Exception {
        RunningBridge bridge = bridge(fixture, Map.of("bridge.ring.max-events", "5"));
        SseClient first = track(bridge.connect(PATH));
        String id = first.awaitConnected().id();
        first.close();
        // About 16 MB of backlog: more than socket and stream buffers hold, so the replay must wait for the client.
        TestProducer bulk = fixture.producer();
        byte[] value = ("{\"pad\":\"" + "x".repeat(4000) + "\"}").getBytes();
        for (int i = 0; i < 4000; i++) {
            bulk.sendAsync(fixture.topic("training"), "k" + i, value);
        }
        bulk.flush();
        KafkaReplayReader replay = bridge.bean(KafkaReplayReader.class);

        try (java.net.Socket socket = new java.net.Socket()) {
            socket.setReceiveBufferSize(4096);
            socket.connect(new java.net.InetSocketAddress("localhost", bridge.port()));
            socket.getOutputStream().write(("GET " + PATH + " HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n"
                    + "Last-Event-ID: " + id + "\r\n\r\n").getBytes());
            socket.getInputStream().read(new byte[1024]);
            // The client reads no further: the replay stalls with its consumer open.
            await().atMost(WAIT).until(() -> replay.openConsumers() == 1);
        }

        await().atMost(WAIT).until(() -> replay.openConsumers() == 0);
        assertThat(replay.abandoned()).as("closed because the client left, not because it finished").isEqualTo(1);
        await().atMost(WAIT).until(() -> bridge.bean(dev.ssebridge.bridge.connection.ConnectionRegistry.class).count() == 0);
        assertThat(bridge.openKafkaConsumers()).isEqualTo(4);
    }

    @Test
    void resumeOnASecondInstanceIsExact() {
        RunningBridge a = bridge(fixture, Map.of());
        RunningBridge b = fixture.startAnother(Map.of());
        leaveAndResume(a, b, 9, 9, 9);
    }

    @Test
    void sinceStartsAtTheFirstRecordAtOrAfterThatTime() {
        RunningBridge bridge = bridge(fixture, Map.of());
        Instant t0 = Instant.now().minusSeconds(60);
        for (int i = 0; i < 6; i++) {
            produced.next(t0.minusSeconds(600).toEpochMilli());
        }
        for (int i = 0; i < 6; i++) {
            produced.next(t0.plusMillis(i).toEpochMilli());
        }

        SseClient client = track(bridge.connect(PATH + "?since=" + t0));

        client.awaitNamed(EVENT, 6, WAIT);
        assertThat(client.seqs(EVENT)).containsExactlyInAnyOrder(6, 7, 8, 9, 10, 11);
        SseClient recent = track(bridge.connect(PATH + "?since=PT5M"));
        recent.awaitNamed(EVENT, 6, WAIT);
        assertThat(recent.seqs(EVENT)).containsExactlyInAnyOrder(6, 7, 8, 9, 10, 11);
    }

    @Test
    void fromEarliestDeliversEverythingKafkaHoldsThenLive() {
        RunningBridge bridge = bridge(fixture, Map.of());
        produced.next(10);

        SseClient client = track(bridge.connect(PATH + "?from=earliest"));
        client.awaitNamed(EVENT, 10, WAIT);
        produced.next(2);

        client.awaitNamed(EVENT, 12, WAIT);
        assertThat(produced.asReceived(client.seqs(EVENT))).isEqualTo(produced.expectedFrom(new long[3]));
    }

    @Test
    void aCursorWinsOverSinceAndFrom() {
        RunningBridge bridge = bridge(fixture, Map.of());
        produced.next(5);
        // The connected cursor is where the tail stands: once it has read the five (CI once connected first, and the
        // cursor left four of them to replay).
        await().atMost(WAIT).until(() -> hub(bridge).counters().publishedCount() == 5);
        SseClient first = track(bridge.connect(PATH));
        String id = first.awaitConnected().id();
        first.close();
        produced.next(2);

        SseClient client = track(bridge.connect(PATH + "?from=earliest&since=PT1H&last_event_id=" + id));

        client.awaitNamed(EVENT, 2, WAIT);
        assertThat(client.seqs(EVENT)).containsExactlyInAnyOrder(5, 6);
    }

    @Test
    void retentionGapIsReportedThenReplayContinuesFromTheEarliestHeldOffset() throws Exception {
        RunningBridge bridge = bridge(onePartition, Map.of("bridge.ring.max-events", "0"));
        SseClient first = track(bridge.connect(PATH));
        first.awaitConnected();
        produced.next(10);
        first.awaitNamed(EVENT, 10, WAIT);
        first.close();
        // The client's cursor points at offset 10 on partition 0; it got offsets 0..9. Pretend it stopped after 3.
        String afterThree = first.named(EVENT).get(2).id();
        produced.next(5);
        try (Admin admin = TestTopics.admin()) {
            admin.deleteRecords(Map.of(new TopicPartition(onePartition.topic("training"), 0),
                    RecordsToDelete.beforeOffset(12))).all().get();
        }

        SseClient resumed = track(bridge.connect(PATH, Map.of("Last-Event-ID", afterThree)));

        SseClient.Received gap = resumed.awaitNamed("replay_gap", 1, WAIT).get(0);
        assertThat(gap.payload().get("channel").asString()).isEqualTo("training");
        assertThat(gap.payload().get("partition").asInt()).isZero();
        assertThat(gap.payload().get("requested_offset").asLong()).isEqualTo(3);
        assertThat(gap.payload().get("first_available_offset").asLong()).isEqualTo(12);
        assertThat(gap.payload().get("lost").asLong()).isEqualTo(9);
        assertThat(startOf(bridge, gap.id())).containsExactly(12);
        resumed.awaitNamed(EVENT, 3, WAIT);
        assertThat(resumed.seqs(EVENT)).containsExactly(12, 13, 14);
        assertThat(resumed.all().stream().map(SseClient.Received::event).toList())
                .containsSubsequence("connected", "replay_gap", EVENT, EVENT, EVENT);
    }

    /** Starts the bridge of {@code on} with these settings; {@link #produced} writes to its training topic. */
    private RunningBridge bridge(BridgeFixture on, Map<String, Object> extra) {
        produced = new Produced(on.producer(), on.topic("training"));
        return on.start(extra);
    }

    private static long[] startOf(RunningBridge bridge, String cursor) {
        Channel training = bridge.bean(Channels.class).require("training");
        return bridge.bean(CursorCodec.class).decode(cursor).positions(training);
    }

    private static dev.ssebridge.bridge.hub.ChannelHub hub(RunningBridge bridge) {
        return bridge.bean(ChannelHubs.class).of(bridge.bean(Channels.class).require("training"));
    }

    private <T extends AutoCloseable> T track(T closeable) {
        open.add(closeable);
        return closeable;
    }    /**
     * A client on {@code from} gets {@code before} records, leaves, {@code away} are written, it resumes on
     * {@code to} with its last id, {@code after} more are written: it has every record once, in order.
     */
    private void leaveAndResume(RunningBridge from, RunningBridge to, int before, int away, int after) {
        SseClient first = track(from.connect(PATH));
        long[] start = startOf(from, first.awaitConnected().id());
        produced.next(before);
        first.awaitNamed(EVENT, before, WAIT);
        first.close();
        produced.next(away);

        SseClient resumed = track(to.connect(PATH, Map.of("Last-Event-ID", first.lastEventId())));
        produced.next(after);

        resumed.awaitNamed(EVENT, away + after, WAIT);
        List<Integer> all = new ArrayList<>(first.seqs(EVENT));
        all.addAll(resumed.seqs(EVENT));
        assertThat(produced.asReceived(all)).isEqualTo(produced.expectedFrom(start));
    }


}
