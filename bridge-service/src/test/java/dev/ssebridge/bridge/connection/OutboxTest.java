package dev.ssebridge.bridge.connection;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ssebridge.bridge.channel.Channel;
import dev.ssebridge.bridge.conflation.Conflation;
import dev.ssebridge.bridge.conflation.ConflationPolicy;
import dev.ssebridge.bridge.hub.ChannelEvent;
import dev.ssebridge.bridge.hub.EventBatch;
import dev.ssebridge.bridge.support.ChannelBuilder;
import dev.ssebridge.bridge.support.EventBuilder;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

class OutboxTest {

    private static final Channel CHANNEL = ChannelBuilder.channel("training").eventName("training_progress").build();

    @Test
    void queuedItemsArriveInOrderThenTheEndMarker() {
        Outbox outbox = outbox(10, 10_000, () -> { });
        ChannelEvent a = event(0, 100);
        ChannelEvent b = event(1, 100);
        StreamItem.Ping ping = new StreamItem.Ping(new byte[20]);

        assertThat(outbox.offer(a)).isTrue();
        assertThat(outbox.offerPing(ping)).isTrue();
        assertThat(outbox.offer(b)).isTrue();
        outbox.end(StreamEnd.SHUTDOWN);

        StepVerifier.create(outbox.items())
                .expectNext(new StreamItem.Event(a), ping, new StreamItem.Event(b), new StreamItem.End(StreamEnd.SHUTDOWN))
                .verifyComplete();
        assertThat(outbox.offer(event(2, 100))).isFalse();
    }

    @Test
    void tooManyQueuedEventsEndTheStreamAfterThoseAlreadyQueued() {
        Outbox outbox = outbox(3, 1_000_000, () -> { });
        List<ChannelEvent> events = List.of(event(0, 10), event(1, 10), event(2, 10));
        events.forEach(e -> assertThat(outbox.offer(e)).isTrue());

        assertThat(outbox.offer(event(3, 10))).isFalse();
        assertThat(outbox.offer(event(4, 1))).as("ended: nothing more is taken").isFalse();
        StepVerifier.create(outbox.items())
                .expectNextSequence(events.stream().map(StreamItem.Event::new).toList())
                .expectNext(new StreamItem.End(StreamEnd.FELL_BEHIND))
                .verifyComplete();
    }

    @Test
    void tooManyQueuedBytesEndTheStreamToo() {
        Outbox outbox = outbox(1_000, 2_500, () -> { });
        assertThat(outbox.offer(event(0, 1_000))).isTrue();
        assertThat(outbox.offer(event(1, 1_000))).isTrue();

        assertThat(outbox.offer(event(2, 1_000))).isFalse();
        StepVerifier.create(outbox.items()).expectNextCount(2).expectNext(new StreamItem.End(StreamEnd.FELL_BEHIND)).verifyComplete();
    }

    @Test
    void takenEventsFreeTheirPlace() {
        Outbox outbox = outbox(2, 1_000_000, () -> { });
        StepVerifier.create(outbox.items(), 0)
                .then(() -> {
                    outbox.offer(event(0, 10));
                    outbox.offer(event(1, 10));
                })
                .thenRequest(2)
                .expectNextCount(2)
                .then(() -> {
                    // The bound is 2: both places are free again.
                    assertThat(outbox.offer(event(2, 10))).isTrue();
                    assertThat(outbox.offer(event(3, 10))).isTrue();
                })
                .thenRequest(2)
                .expectNextCount(2)
                .thenCancel()
                .verify();
    }

    @Test
    void aBatchCountsAsTheEventsItHoldsAndIsTakenWhole() {
        Outbox outbox = outbox(5, 1_000_000, () -> { });
        EventBatch batch = EventBatch.of(List.of(event(0, 10), event(1, 10), event(2, 10)));

        assertThat(outbox.offer(batch)).isTrue();
        StepVerifier.create(outbox.items(), 0)
                .then(() -> assertThat(outbox.offer(EventBatch.of(List.of(event(3, 10), event(4, 10), event(5, 10)))))
                        .as("3 + 3 events pass the bound of 5").isFalse())
                .thenRequest(1)
                .expectNext(new StreamItem.Events(batch))
                .thenCancel()
                .verify();
        Outbox another = outbox(5, 1_000_000, () -> { });
        assertThat(another.offer(batch)).isTrue();
        StepVerifier.create(another.items(), 0)
                .thenRequest(1)
                .expectNext(new StreamItem.Events(batch))
                .then(() -> assertThat(another.offer(EventBatch.of(List.of(event(3, 10), event(4, 10), event(5, 10),
                        event(6, 10), event(7, 10))))).as("taken whole: all 5 places free again").isTrue())
                .thenCancel()
                .verify();
    }

    @Test
    void aBatchThatWouldPassTheBoundEndsTheStreamAfterWhatIsQueued() {
        Outbox outbox = outbox(4, 1_000_000, () -> { });
        ChannelEvent queued = event(0, 10);
        assertThat(outbox.offer(queued)).isTrue();

        assertThat(outbox.offer(EventBatch.of(List.of(event(1, 10), event(2, 10), event(3, 10), event(4, 10)))))
                .isFalse();
        StepVerifier.create(outbox.items()).expectNext(new StreamItem.Event(queued)).expectNext(new StreamItem.End(StreamEnd.FELL_BEHIND)).verifyComplete();
    }

    @Test
    void whatCongestionHeldIsReleasedOnlyAsTheQueueHasRoomNeverPastItsBound() {
        Conflation conflation = new Conflation(Map.of(CHANNEL, new ConflationPolicy(null, 1_000)),
                StreamFilter.NONE::accepts, Runnable::run, Schedulers.immediate(), System::nanoTime, channel -> { });
        AtomicInteger overflows = new AtomicInteger();
        Outbox outbox = new Outbox(10, 1_000_000, overflows::incrementAndGet, Runnable::run, conflation, Long.MAX_VALUE);
        outbox.live(CHANNEL, new long[] {0});
        // 6 events fill the queue past half (congested); the other 44 keys are held, one event each.
        for (int k = 0; k < 50; k++) {
            assertThat(outbox.offer(keyed(k, "key-" + k))).isTrue();
        }

        List<String> delivered = new java.util.ArrayList<>();
        outbox.items().subscribe(item -> {
            if (item instanceof StreamItem.Event e) {
                delivered.add(e.event().stateKey());
            } else if (item instanceof StreamItem.Conflated c) {
                delivered.add(c.event().stateKey());
            }
        });
        assertThat(overflows).as("the queue's bound was never passed").hasValue(0);
        Set<String> keys = new TreeSet<>(delivered);
        assertThat(keys).as("every key, once").hasSize(50);
        assertThat(delivered).hasSize(50);
    }

    @Test
    void aConnectionStillWritingItsSnapshotIsNotTakenForStuckButOneThatStopsReadingIs() {
        Conflation conflation = new Conflation(Map.of(CHANNEL, new ConflationPolicy(null, 1_000)),
                StreamFilter.NONE::accepts, Runnable::run, Schedulers.immediate(), System::nanoTime, channel -> { });
        AtomicInteger overflows = new AtomicInteger();
        Outbox outbox = new Outbox(10, 1_000_000, overflows::incrementAndGet, Runnable::run, conflation, 0);
        outbox.live(CHANNEL, new long[] {0});
        for (int k = 0; k < 20; k++) {
            outbox.offer(keyed(k, "key-" + k));
        }

        // Its queue is not read yet (the snapshot or replay before it is being written): not stuck.
        assertThat(outbox.offerPing(new StreamItem.Ping(new byte[5]))).isTrue();
        assertThat(overflows).hasValue(0);

        // Reading its queue, it takes nothing for longer than the bound (0 here): stuck.
        outbox.items().subscribe(new reactor.core.publisher.BaseSubscriber<>() {
            @Override
            protected void hookOnSubscribe(org.reactivestreams.Subscription subscription) {
                // no demand: a client that stopped reading
            }
        });
        assertThat(outbox.offerPing(new StreamItem.Ping(new byte[5]))).isFalse();
        assertThat(overflows).hasValue(1);
    }

    /** An outbox without conflation, on the calling thread. */
    private static Outbox outbox(int maxEvents, long maxBytes, Runnable onOverflow) {
        return new Outbox(maxEvents, maxBytes, onOverflow, Runnable::run, null, Long.MAX_VALUE);
    }

    private static ChannelEvent keyed(long offset, String key) {
        return EventBuilder.event(CHANNEL, 0, offset).key(key).size(10).build();
    }

    private static ChannelEvent event(long offset, int size) {
        return EventBuilder.event(CHANNEL, 0, offset).size(size).build();
    }
}
