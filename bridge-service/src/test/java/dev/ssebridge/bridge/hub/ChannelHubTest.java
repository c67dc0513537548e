package dev.ssebridge.bridge.hub;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ssebridge.bridge.channel.Channel;
import dev.ssebridge.bridge.channel.Channels;
import dev.ssebridge.bridge.cursor.CursorCodec;
import dev.ssebridge.bridge.cursor.Positions;
import dev.ssebridge.bridge.frame.ChannelRecord;
import dev.ssebridge.bridge.state.KeyedState;
import dev.ssebridge.bridge.support.ChannelBuilder;
import dev.ssebridge.bridge.support.RecordBuilder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChannelHubTest {

    private static final Channel CHANNEL = ChannelBuilder.channel("alerts").topic("risk")
            .eventName("risk_alert").build();
    /** When the bridge started, epoch millis: records written before it are history to a state's bootstrap. */
    private static final long STARTED_AT = 1_000_000;
    /** The topic's incarnation, as the tail would find it from the topic id. */
    private static final int TOPIC = 0x5eed;
    private final CursorCodec codec = new CursorCodec(new Channels(List.of(CHANNEL), List.of()));

    @Test
    void eachEventCarriesTheTailPositionAfterItAsItsSharedId() {
        ChannelHub hub = hub(100);
        hub.assigned(TOPIC, new long[] {10, 20});

        hub.publish(record(1, 20, 0, "k", -1, body("a")));
        hub.skipped(0, 10, dev.ssebridge.bridge.frame.SkipReason.INVALID_JSON);
        hub.publish(record(0, 11, 0, "k", -1, body("b")));

        CollectingSink sink = new CollectingSink();
        assertThat(hub.subscribe(sink)).containsExactly(12, 21);
        hub.publish(record(1, 21, 0, "k", -1, body("c")));
        assertThat(sink.offered).singleElement().satisfies(item -> {
            ChannelEvent event = (ChannelEvent) item;
            assertThat(event.positionsAfter()).containsExactly(12, 22);
            String frame = new String(event.frame(), StandardCharsets.UTF_8);
            assertThat(frame).startsWith("id: " + codec.encode(CHANNEL, TOPIC, new long[] {12, 22}) + "\n");
            assertThat(frame.substring(event.bodyOffset())).isEqualTo("event: x\ndata: c\n\n");
        });
    }

    @Test
    void resumeInsideTheRingIsPlannedFromMemory() {
        ChannelHub hub = hub(100);
        hub.assigned(TOPIC, new long[] {0, 0});
        for (int i = 0; i < 5; i++) {
            hub.publish(record(i % 2, i / 2, 0, null, -1, body("e" + i)));
        }
        // Published: p0@0, p1@0, p0@1, p1@1, p0@2 -> tail [3, 2]

        Splice splice = hub.subscribe(new CollectingSink(), new long[] {1, 2});

        assertThat(splice.tail()).containsExactly(3, 2);
        assertThat(splice.fromKafka()).isEmpty();
        assertThat(splice.fromRing()).extracting(e -> e.partition() + "@" + e.offset()).containsExactly("0@1", "0@2");
        assertThat(hub.counters().replaysFromRing()).isEqualTo(1);
        assertThat(hub.counters().replaysFromKafka()).isZero();
    }

    @Test
    void resumeBelowTheRingFloorNeedsKafkaForThatPartitionOnly() {
        ChannelHub hub = hub(3);
        hub.assigned(TOPIC, new long[] {0, 0});
        for (int i = 0; i < 6; i++) {
            hub.publish(record(i < 4 ? 0 : 1, i < 4 ? i : i - 4, 0, null, -1, body("e" + i)));
        }
        // p0@0..3, p1@0..1; ring keeps the last 3: p0@3, p1@0, p1@1 -> floor p0 = 3, p1 = 0

        Splice splice = hub.subscribe(new CollectingSink(), new long[] {1, 0});

        assertThat(splice.fromKafka()).containsExactly(java.util.Map.entry(0, 1L));
        assertThat(splice.fromRing()).extracting(e -> e.partition() + "@" + e.offset()).containsExactly("1@0", "1@1");
        assertThat(hub.counters().replaysFromKafka()).isEqualTo(1);
    }

    @Test
    void latestResolvesToTheTailAndNewPartitionsStartEarliest() {
        ChannelHub hub = hub(10);
        hub.assigned(TOPIC, new long[] {5, 6, 7});

        Splice splice = hub.subscribe(new CollectingSink(), new long[] {Positions.LATEST, 6});

        assertThat(splice.start()).containsExactly(5, 6, Positions.EARLIEST);
        assertThat(splice.fromKafka()).containsExactly(java.util.Map.entry(2, Positions.EARLIEST));
    }

    @Test
    void aCursorAheadOfTheTailNeedsNoReplay() {
        ChannelHub hub = hub(10);
        hub.assigned(TOPIC, new long[] {5, 6});

        Splice splice = hub.subscribe(new CollectingSink(), new long[] {9, 6});

        assertThat(splice.fromKafka()).isEmpty();
        assertThat(splice.fromRing()).isEmpty();
        assertThat(splice.start()).containsExactly(9, 6);
    }

    @Test
    void eventsAreHandedToEachEventLoopOnceAndReachItsConnectionsInOrderThere() {
        ChannelHub hub = hub(100);
        hub.assigned(TOPIC, new long[] {0});
        ManualLoop loopA = new ManualLoop();
        ManualLoop loopB = new ManualLoop();
        CollectingSink a1 = new CollectingSink(loopA);
        CollectingSink a2 = new CollectingSink(loopA);
        CollectingSink b1 = new CollectingSink(loopB);
        List.of(a1, a2, b1).forEach(hub::subscribe);

        for (int i = 0; i < 3; i++) {
            hub.publish(record(0, i, 0, null, -1, body("e" + i)));
        }
        // Nothing reaches a connection on the publishing thread; each loop got one task for all three.
        assertThat(List.of(a1, a2, b1)).allSatisfy(o -> assertThat(o.offered).isEmpty());
        assertThat(loopA.tasks).hasSize(1);
        assertThat(loopB.tasks).hasSize(1);
        loopA.runAll();
        // The three queued up for the loop: each of its connections takes them as one item, one write.
        assertThat(a1.offered).singleElement().satisfies(item -> assertThat(((EventBatch) item).events())
                .extracting(ChannelEvent::offset).containsExactly(0L, 1L, 2L));
        assertThat(a2.offered).isEqualTo(a1.offered);
        assertThat(b1.offered).isEmpty();
        loopB.runAll();

        // An ended connection refuses once and is dropped: it is not offered anything again; the others keep
        // the order.
        a2.end();
        hub.publish(record(0, 3, 0, null, -1, body("e3")));
        loopA.runAll();
        loopB.runAll();
        assertThat(a2.refused).isEqualTo(1);
        hub.publish(record(0, 4, 0, null, -1, body("e4")));
        loopA.runAll();
        loopB.runAll();
        assertThat(a2.refused).as("dropped after refusing").isEqualTo(1);
        for (CollectingSink sink : List.of(a1, b1)) {
            assertThat(sink.events()).extracting(ChannelEvent::offset).containsExactly(0L, 1L, 2L, 3L, 4L);
        }
    }

    @Test
    void aReCreatedTopicStartsTheHubAgainAndEndsEverySubscriberOfTheOldOne() {
        ChannelHub hub = hub(100);
        hub.assigned(TOPIC, new long[] {0, 0});
        for (int i = 0; i < 6; i++) {
            hub.publish(record(i % 2, i / 2, 0, null, -1, body("old" + i)));
        }
        CollectingSink live = new CollectingSink();
        hub.subscribe(live);
        // A reassignment in the same topic (it grew) keeps the hub's positions and its subscribers.
        hub.assigned(TOPIC, new long[] {0, 0, 0});
        assertThat(hub.positions()).containsExactly(3, 3, 0);
        assertThat(live.topicRecreated).isFalse();

        int recreated = TOPIC + 1;
        hub.assigned(recreated, new long[] {0, 0});

        assertThat(hub.incarnation()).isEqualTo(recreated);
        assertThat(hub.positions()).as("the new topic's, not merged with the old one's").containsExactly(0, 0);
        assertThat(live.topicRecreated).isTrue();
        assertThat(hub.subscribers()).isZero();
        hub.publish(record(0, 0, 0, null, -1, body("new0")));
        assertThat(live.offered).as("nothing of the new topic reaches a subscriber of the old one").isEmpty();
        Splice fromStart = hub.subscribe(new CollectingSink(), new long[] {0, 0});
        assertThat(fromStart.fromRing()).as("the ring holds the new topic only")
                .extracting(e -> e.partition() + "@" + e.offset()).containsExactly("0@0");
        assertThat(new String(fromStart.fromRing().get(0).frame(), StandardCharsets.UTF_8))
                .startsWith("id: " + codec.encode(CHANNEL, recreated, new long[] {1, 0}) + "\n");
    }

    @Test
    void aLiveSubscriberAfterTheAssignmentStartsAtTheBootstrapsEndsNeverAtTheTopicsBeginning() {
        ChannelHub hub = stateHub();
        // The tail starts at the topic's beginning to build the state; offsets 0..2 are what the topic held. The ends
        // come with the assignment, in one step: a subscriber in between (two calls before) started at offset 0.
        hub.assigned(TOPIC, new long[] {0}, new long[] {3}, STARTED_AT);
        CollectingSink live = new CollectingSink();
        assertThat(hub.subscribe(live)).containsExactly(3);
        for (int i = 0; i < 3; i++) {
            hub.publish(record(0, i, 0, "k" + i, -1, body("history" + i)));
        }
        hub.publish(record(0, 3, 0, "k3", -1, body("news")));

        assertThat(hub.whenStateReady().toFuture()).isDone();
        assertThat(hub.subscribe(new CollectingSink())).containsExactly(4);
    }

    @Test
    void theConsumersPositionEndsTheBootstrapOnlyOnceNothingFetchedIsStillOnItsWayToTheHub() {
        ChannelHub hub = stateHub();
        hub.assigned(TOPIC, new long[] {0}, new long[] {10}, STARTED_AT);
        for (int i = 0; i < 8; i++) {
            hub.publish(record(0, i, 0, "k" + i, -1, body("history" + i)));
        }
        // The consumer fetched up to offset 9; records 8 and 9 are on their way to the hub.
        hub.tailPositions(new long[] {10});
        assertThat(hub.whenStateReady().toFuture()).as("before the fix: ready here, without 8 and 9").isNotDone();
        assertThat(hub.subscribe(new CollectingSink())).containsExactly(10);

        hub.publish(record(0, 8, 0, "k8", -1, body("history8")));
        hub.tailPositions(new long[] {10});
        assertThat(hub.whenStateReady().toFuture()).as("the hub moved since").isNotDone();
        // A second later nothing moved: offset 9 holds no record (a transaction marker), the bootstrap is over.
        hub.tailPositions(new long[] {10});
        assertThat(hub.whenStateReady().toFuture()).isDone();
        assertThat(hub.stateFigures().keys()).isEqualTo(9);
    }

    @Test
    void aTopicReCreatedDuringTheStateBootstrapEndsItAndOldEventsStillQueuedReachNoNewSubscriber() {
        ChannelHub hub = stateHub();
        hub.assigned(TOPIC, new long[] {0}, new long[] {100}, STARTED_AT); // a long history to read first
        ManualLoop loop = new ManualLoop();
        CollectingSink old = new CollectingSink(loop);
        hub.subscribe(old);
        hub.publish(record(0, 0, 0, "k", -1, body("old"))); // queued on the loop, not run yet

        hub.assigned(TOPIC + 1, new long[] {0}, null, 0);
        CollectingSink fresh = new CollectingSink(loop);
        assertThat(hub.subscribe(fresh)).as("not the old topic's end offsets").containsExactly(0);
        assertThat(hub.whenStateReady().toFuture()).as("the old topic's bootstrap is over").isDone();
        hub.publish(record(0, 0, 0, "k", -1, body("new")));
        loop.runAll();

        assertThat(old.topicRecreated).isTrue();
        assertThat(old.events()).isEmpty();
        assertThat(fresh.events()).singleElement().satisfies(event ->
                assertThat(new String(event.frame(), StandardCharsets.UTF_8)).endsWith("data: new\n\n"));
    }

    @Test
    void historyWrittenBeforeTheBridgeStartedIsMarkedAsSuchAndNewsIsNot() {
        ChannelHub hub = stateHub();
        CollectingSink early = new CollectingSink();
        assertThat(hub.subscribe(early)).as("before the first assignment: no positions").isNull();
        // The topic holds offsets 0..3; 0 and 1 were written before the bridge started, 2 and 3 since.
        hub.assigned(TOPIC, new long[] {0}, new long[] {4}, STARTED_AT);
        hub.publish(record(0, 0, STARTED_AT - 5_000, "k0", -1, body("old")));
        hub.publish(record(0, 1, STARTED_AT - 1, "k1", -1, body("old")));
        hub.publish(record(0, 2, STARTED_AT, "k2", -1, body("news")));
        hub.publish(record(0, 3, STARTED_AT + 5, "k3", -1, body("news")));
        hub.publish(record(0, 4, 0, "k4", -1, body("live, whatever its timestamp")));

        assertThat(early.events()).extracting(ChannelEvent::history).containsExactly(true, true, false, false, false);
    }

    /** An event loop run by hand: tasks wait until the test runs them. */
    private static final class ManualLoop implements java.util.concurrent.Executor {
        final List<Runnable> tasks = new java.util.ArrayList<>();

        @Override
        public void execute(Runnable task) {
            tasks.add(task);
        }

        void runAll() {
            while (!tasks.isEmpty()) {
                tasks.remove(0).run();
            }
        }
    }

    private ChannelHub hub(int ringEvents) {
        return new ChannelHub(CHANNEL, codec, ringEvents, 1 << 20, null);
    }

    /** A hub of a channel that keeps the latest value of every key. */
    private ChannelHub stateHub() {
        return new ChannelHub(CHANNEL, codec, 100, 1 << 20, new KeyedState(1000, 1 << 20));
    }

    private static ChannelRecord record(int partition, long offset, long timestamp, String key, int severity,
                                        byte[] body) {
        return RecordBuilder.record(CHANNEL, partition, offset).timestamp(timestamp).key(key).severity(severity)
                .body(body).build();
    }

    private static byte[] body(String data) {
        return ("event: x\ndata: " + data + "\n\n").getBytes(StandardCharsets.UTF_8);
    }
}
