package dev.ssebridge.bridge.conflation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class KeyConflatorTest {

    private static final long MS = 1_000_000;

    /** One published event: where it is, its key, and the tail position right after it. */
    private record Event(int partition, long offset, String key, long[] tailAfter, long arrivesAt) {
    }

    /** One event as the connection sent it, with the id it carried. */
    private record Sent(Event event, long at, long[] id) {
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10})
    void everyKeysLatestValueArrivesAtTheRateAndAnyIdResumesWithoutLoss(long seed) {
        Random random = new Random(seed);
        for (int round = 0; round < 100; round++) {
            int partitions = 1 + random.nextInt(3);
            List<Event> events = events(random, partitions, 2 + random.nextInt(12), 20 + random.nextInt(200));
            long interval = (100 + random.nextInt(900)) * MS;
            List<Sent> sent = run(random, events, interval);
            String where = "seed " + seed + " round " + round;

            // Every key's last event is the last one sent for that key.
            Map<String, Event> latest = new LinkedHashMap<>();
            events.forEach(e -> latest.put(e.key(), e));
            Map<String, Event> lastSent = new HashMap<>();
            sent.forEach(s -> lastSent.put(s.event().key(), s.event()));
            assertThat(lastSent).as(where).isEqualTo(latest);

            Map<String, Long> lastSendTime = new HashMap<>();
            Map<String, Long> lastSentOffset = new HashMap<>();
            long[] previousId = new long[partitions];
            for (Sent s : sent) {
                String key = s.event().key();
                // The rate: two events of one key at least an interval apart.
                Long before = lastSendTime.put(key, s.at());
                if (before != null) {
                    assertThat(s.at() - before).as(where).isGreaterThanOrEqualTo(interval);
                }
                // Never merged or reordered within a key: originals, each once, by increasing offset.
                Long offsetBefore = lastSentOffset.put(key, s.event().offset());
                if (offsetBefore != null) {
                    assertThat(s.event().offset()).as(where).isGreaterThan(offsetBefore);
                }
                // The cursor never moves back.
                for (int p = 0; p < partitions; p++) {
                    assertThat(s.id()[p]).as(where).isGreaterThanOrEqualTo(previousId[p]);
                }
                previousId = s.id();
            }

            // A client that leaves after any sent event and resumes from its id, with an ordinary replay of
            // the whole history from there, ends with every key's latest value.
            for (int k = 0; k < sent.size(); k++) {
                Map<String, Long> client = new HashMap<>();
                for (Sent s : sent.subList(0, k + 1)) {
                    client.put(s.event().key(), s.event().offset());
                }
                long[] id = sent.get(k).id();
                for (Event e : events) {
                    if (e.offset() >= id[e.partition()]) {
                        client.put(e.key(), e.offset());
                    }
                }
                Map<String, Long> truth = new HashMap<>();
                latest.forEach((key, e) -> truth.put(key, e.offset()));
                assertThat(client).as("%s, resumed after sent event %d", where, k).isEqualTo(truth);
            }
        }
    }

    @Test
    void aKeyWithinItsIntervalIsHeldAndOnlyItsLatestValueIsSent() {
        KeyConflator<String> conflator = new KeyConflator<>(500 * MS, 10);

        assertThat(conflator.offer("a", 0, 0, "a0", 0)).isEqualTo(KeyConflator.Decision.SEND);
        assertThat(conflator.offer("a", 0, 1, "a1", 100 * MS)).isEqualTo(KeyConflator.Decision.HELD);
        assertThat(conflator.offer("b", 0, 2, "b2", 150 * MS)).isEqualTo(KeyConflator.Decision.SEND);
        assertThat(conflator.offer("a", 0, 3, "a3", 200 * MS)).isEqualTo(KeyConflator.Decision.HELD);

        // Held a3 at offset 3: the position may not pass it, though the tail is at 4.
        assertThat(conflator.position(new long[] {4})).containsExactly(3);
        assertThat(conflator.nextDueNanos()).isEqualTo(500 * MS);
        assertThat(conflator.due(499 * MS, new long[] {4})).isEmpty();
        List<KeyConflator.Release<String>> due = conflator.due(500 * MS, new long[] {4});
        assertThat(due).extracting(KeyConflator.Release::item).containsExactly("a3");
        assertThat(due.get(0).position()).containsExactly(4);
        assertThat(conflator.nextDueNanos()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void dueEventsComeInTheOrderTheyArrived() {
        KeyConflator<String> conflator = new KeyConflator<>(100 * MS, 10);
        conflator.offer("b", 0, 0, "b0", 0);
        conflator.offer("a", 1, 0, "a0", 10 * MS);
        conflator.offer("a", 1, 1, "a1", 20 * MS); // held, due at 110
        conflator.offer("b", 0, 1, "b1", 30 * MS); // held, due at 100, but arrived after a1

        List<KeyConflator.Release<String>> due = conflator.due(200 * MS, new long[] {2, 2});
        assertThat(due).extracting(KeyConflator.Release::item).containsExactly("a1", "b1");
        // The first one's id still counts b1 (partition 0, offset 1) as held: the write may stop between them.
        assertThat(due.get(0).position()).containsExactly(1, 2);
        assertThat(due.get(1).position()).containsExactly(2, 2);
    }

    @Test
    void eventsWithoutAKeyAreNeverHeldAndTooManyHeldKeysOverflow() {
        KeyConflator<String> conflator = new KeyConflator<>(1_000 * MS, 2);
        for (int i = 0; i < 5; i++) {
            assertThat(conflator.offer(null, 0, i, "n" + i, 0)).isEqualTo(KeyConflator.Decision.SEND);
        }
        for (String key : List.of("a", "b", "c")) {
            conflator.offer(key, 0, 10, key, 0);
        }
        assertThat(conflator.offer("a", 0, 11, "a'", 1)).isEqualTo(KeyConflator.Decision.HELD);
        assertThat(conflator.offer("b", 0, 12, "b'", 1)).isEqualTo(KeyConflator.Decision.HELD);
        assertThat(conflator.offer("c", 0, 13, "c'", 1)).isEqualTo(KeyConflator.Decision.OVERFLOW);
        assertThat(conflator.offer("a", 0, 14, "a''", 1)).isEqualTo(KeyConflator.Decision.HELD); // a key already held
        assertThat(conflator.heldKeys()).isEqualTo(2);
    }

    @Test
    void maxRateParsesDecimalsAndAChannelThatForbidsConflationGetsNone() {
        assertThat(MaxRate.parse("2").intervalNanos()).isEqualTo(500 * MS);
        assertThat(MaxRate.parse(" 0.5 ").intervalNanos()).isEqualTo(2_000 * MS);
        for (String bad : List.of("", "0", "-1", "1e3", "NaN", "Infinity", "101", "2,5", "0x10", "1.")) {
            assertThatThrownBy(() -> MaxRate.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("max_rate");
        }
        Optional<MaxRate> two = Optional.of(new MaxRate(2));
        Optional<MaxRate> one = Optional.of(new MaxRate(1));
        assertThat(MaxRate.effective(two, one, false)).isEqualTo(two);
        assertThat(MaxRate.effective(Optional.empty(), one, false)).isEqualTo(one);
        assertThat(MaxRate.effective(two, one, true)).isEmpty();
    }

    /** Random events: keys stay in one partition, offsets increase with gaps, arrivals 0 to 300 ms apart. */
    private static List<Event> events(Random random, int partitions, int keys, int count) {
        List<Event> events = new ArrayList<>();
        long[] tail = new long[partitions];
        long time = 0;
        for (int i = 0; i < count; i++) {
            String key = "k" + random.nextInt(keys);
            int p = Math.floorMod(key.hashCode(), partitions);
            long offset = tail[p] + (random.nextInt(5) == 0 ? 1 : 0); // a gap: a record this connection filtered out
            tail[p] = offset + 1;
            time += random.nextInt(4) == 0 ? 0 : random.nextInt(300) * MS;
            events.add(new Event(p, offset, key, tail.clone(), time));
        }
        return events;
    }

    /**
     * The connection as the wiring will run it: each event offered on arrival; a timer firing at the next due
     * time (up to 50 ms late) before later arrivals; then the rest drained. Every send carries position(tail).
     */
    private static List<Sent> run(Random random, List<Event> events, long interval) {
        KeyConflator<Event> conflator = new KeyConflator<>(interval, 1_000);
        List<Sent> sent = new ArrayList<>();
        long[] tail = new long[events.get(0).tailAfter().length];
        for (Event e : events) {
            fireTimers(random, conflator, e.arrivesAt(), tail, sent);
            tail = e.tailAfter();
            if (conflator.offer(e.key(), e.partition(), e.offset(), e, e.arrivesAt()) == KeyConflator.Decision.SEND) {
                sent.add(new Sent(e, e.arrivesAt(), conflator.position(tail)));
            }
        }
        fireTimers(random, conflator, Long.MAX_VALUE - interval, tail, sent);
        assertThat(conflator.heldKeys()).isZero();
        return sent;
    }

    private static void fireTimers(Random random, KeyConflator<Event> conflator, long until, long[] tail, List<Sent> sent) {
        while (conflator.nextDueNanos() != Long.MAX_VALUE) {
            long firesAt = conflator.nextDueNanos() + random.nextInt(50) * MS;
            if (firesAt > until) {
                return;
            }
            conflator.due(firesAt, tail).forEach(r -> sent.add(new Sent(r.item(), firesAt, r.position())));
        }
    }

    @Test
    void heldEventsATombstoneDiscardsNeverComeOutAndNoLongerHoldTheId() {
        KeyConflator<String> conflator = new KeyConflator<>(1_000_000_000L, 100);
        assertThat(conflator.offer("K\u0000positions", 0, 0, "p0", 0)).isEqualTo(KeyConflator.Decision.SEND);
        assertThat(conflator.offer("K\u0000positions", 0, 1, "p1", 1)).isEqualTo(KeyConflator.Decision.HELD);
        assertThat(conflator.offer("L\u0000positions", 0, 2, "l0", 2)).isEqualTo(KeyConflator.Decision.SEND);
        assertThat(conflator.offer("L\u0000positions", 0, 3, "l1", 3)).isEqualTo(KeyConflator.Decision.HELD);
        assertThat(conflator.position(new long[] {4})).containsExactly(1);

        conflator.discardHeld(key -> key.startsWith("K\u0000"));

        assertThat(conflator.heldKeys()).isEqualTo(1);
        assertThat(conflator.position(new long[] {4})).as("only L's held event holds the id back").containsExactly(3);
        assertThat(conflator.due(2_000_000_000L, new long[] {4})).extracting(KeyConflator.Release::item)
                .containsExactly("l1");
    }

    @Test
    void aBoundedReleaseLeavesTheRestHeldAndDueInArrivalOrder() {
        KeyConflator<String> conflator = new KeyConflator<>(1_000_000_000L, 100);
        for (int k = 0; k < 5; k++) {
            conflator.offer("k" + k, 0, 2L * k, "first" + k, 0);
            conflator.offer("k" + k, 0, 2L * k + 1, "second" + k, 1);
        }
        long later = 2_000_000_000L;
        assertThat(conflator.due(later, new long[] {10}, 2)).extracting(KeyConflator.Release::item)
                .containsExactly("second0", "second1");
        assertThat(conflator.heldKeys()).isEqualTo(3);
        assertThat(conflator.due(later, new long[] {10}, 10)).extracting(KeyConflator.Release::item)
                .containsExactly("second2", "second3", "second4");
    }
}
