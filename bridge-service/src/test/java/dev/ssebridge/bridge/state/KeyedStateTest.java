package dev.ssebridge.bridge.state;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ssebridge.bridge.support.StateEntryBuilder;
import dev.ssebridge.bridge.where.EventValue;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

class KeyedStateTest {

    private static final Logger log = LoggerFactory.getLogger(KeyedStateTest.class);

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5})
    void everySnapshotHoldsEachKeysLatestValueAtItsPositionsEvenAfterLaterChanges(long seed) {
        Random random = new Random(seed);
        RecordStream stream = new RecordStream(random, 3, 200, 20_000, 15);
        KeyedState state = new KeyedState(Integer.MAX_VALUE, Long.MAX_VALUE);
        state.assigned(new long[3]);
        List<StateSnapshot> snapshots = new ArrayList<>();
        List<Integer> takenAfter = new ArrayList<>();
        for (int i = 0; i < stream.records.size(); i++) {
            stream.apply(state, i);
            if (random.nextInt(200) == 0) {
                snapshots.add(state.capture(stream.positionsAfter(i + 1)));
                takenAfter.add(i + 1);
            }
        }
        assertThat(state.compactions()).isPositive(); // the snapshots below outlived copies of the log
        // Checked only now, after all later puts, removes and compactions.
        for (int s = 0; s < snapshots.size(); s++) {
            StateSnapshot snapshot = snapshots.get(s);
            Map<String, RecordStream.Rec> expected = stream.latest(takenAfter.get(s));
            List<StateEntry> entries = new ArrayList<>();
            snapshot.forEach(entries::add);
            assertThat(entries).hasSize(expected.size()).hasSize(snapshot.keys());
            for (StateEntry entry : entries) {
                RecordStream.Rec latest = expected.get(entry.key());
                assertThat(latest).as(entry.key()).isNotNull();
                assertThat(entry.partition()).isEqualTo(latest.partition());
                assertThat(entry.offset()).isEqualTo(latest.offset());
            }
            assertOffsetOrderPerPartition(entries);
            assertThat(snapshot.truncated()).isFalse();
            assertThat(snapshot.floor()).containsOnly(0L);
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5})
    void pastItsBoundsTheStateEvictsTheOldestKeysAndTheFloorSaysWhichAreComplete(long seed) {
        Random random = new Random(seed);
        RecordStream stream = new RecordStream(random, 3, 300, 20_000, 10);
        int maxKeys = 50;
        long maxBytes = 2_500; // frames are 20 to 60 bytes: sometimes bytes bind first, sometimes keys
        KeyedState state = new KeyedState(maxKeys, maxBytes);
        state.assigned(new long[3]);
        for (int i = 0; i < stream.records.size(); i++) {
            stream.apply(state, i);
            if (random.nextInt(50) != 0) {
                continue;
            }
            StateSnapshot snapshot = state.capture(stream.positionsAfter(i + 1));
            long[] floor = snapshot.floor();
            Map<String, RecordStream.Rec> truth = stream.latest(i + 1);
            Map<String, StateEntry> held = new HashMap<>();
            snapshot.forEach(e -> held.put(e.key(), e));
            assertThat(held.size()).isLessThanOrEqualTo(maxKeys);
            assertThat(snapshot.bytes()).isLessThanOrEqualTo(maxBytes); // exceeded only by a lone entry larger than the bound
            // Everything held is its key's latest record, at or above the floor.
            held.values().forEach(e -> {
                assertThat(truth.get(e.key())).isNotNull();
                assertThat(truth.get(e.key()).offset()).isEqualTo(e.offset());
                assertThat(e.offset()).isGreaterThanOrEqualTo(floor[e.partition()]);
            });
            // Every key whose latest record is at or above the floor is held.
            truth.values().stream().filter(r -> r.offset() >= floor[r.partition()])
                    .forEach(r -> assertThat(held).as("key %s at %d/%d, floor %d", r.key(), r.partition(),
                            r.offset(), floor[r.partition()]).containsKey(r.key()));
            assertThat(snapshot.truncated()).isEqualTo(state.evictedKeys() > 0);
        }
        assertThat(state.evictedKeys()).isPositive();
    }

    @Test
    void valuesParsedForWhereFiltersCountInTheByteBoundUntilTheirKeysLeave() {
        KeyedState state = new KeyedState(1_000, 2_000);
        state.assigned(new long[1]);
        List<EventValue> values = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            EventValue value = value(i);
            values.add(value);
            state.put(StateEntryBuilder.entry(0, i, "k" + i).frame(new byte[100]).value(value).build());
        }
        assertThat(state.keys()).isEqualTo(10);
        assertThat(state.bytes()).isEqualTo(1_000);

        values.forEach(EventValue::tree); // a where filter reads every key's value
        long parsed = values.stream().mapToLong(EventValue::treeBytes).sum();
        assertThat(state.bytes()).isEqualTo(1_000 + parsed).isGreaterThan(2_000);

        // A new value of k9 replaces the old one (which no longer counts), and the bound evicts the oldest keys.
        state.put(StateEntryBuilder.entry(0, 10, "k9").frame(new byte[100]).value(value(10)).build());
        int kept = state.keys();
        assertThat(kept).isLessThan(10);
        long keptParsed = values.subList(10 - kept, 9).stream().mapToLong(EventValue::treeBytes).sum();
        assertThat(state.bytes()).isLessThanOrEqualTo(2_000).isEqualTo(100L * kept + keptParsed);

        state.remove("k8", 0, 11); // a tombstone: its value no longer counts
        assertThat(state.bytes()).isEqualTo(100L * (kept - 1) + keptParsed - values.get(8).treeBytes());
    }

    private static EventValue value(int n) {
        return EventValue.ofJson(("{\"task_id\":\"task-" + "x".repeat(40) + n + "\",\"progress\":" + n + "}")
                .getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aTombstoneRemovesItsKeyAndARecordReadTwiceIsAppliedOnce() {
        KeyedState state = new KeyedState(10, 10_000);
        state.assigned(new long[] {0, 0});
        state.put(entry(0, 0, "a"));
        state.put(entry(1, 0, "b"));
        state.remove("a", 0, 1);
        state.put(entry(0, 0, "stale")); // below what partition 0 applied: a re-read, ignored

        List<String> keys = new ArrayList<>();
        state.capture(new long[] {2, 1}).forEach(e -> keys.add(e.key()));
        assertThat(keys).containsExactly("b");
        assertThat(state.keys()).isEqualTo(1);
    }

    @Test
    void aPartitionAssignedLaterIsCompleteFromItsStartOnly() {
        KeyedState state = new KeyedState(10, 10_000);
        state.assigned(new long[] {0});
        state.assigned(new long[] {5, 40});
        state.put(entry(1, 39, "ignored")); // below the assigned start
        state.put(entry(1, 41, "b"));

        StateSnapshot snapshot = state.capture(new long[] {0, 42});
        assertThat(snapshot.floor()).containsExactly(0, 40);
        assertThat(snapshot.keys()).isEqualTo(1);
    }

    /**
     * Not a benchmark with a verdict: it logs what a capture (under the hub's lock) and a full read (outside it)
     * cost at 100,000 keys with 1,000 clients joining while the tail keeps writing.
     */
    @Test
    void capturesStayCheapAtAHundredThousandKeysWhileTheTailWrites() {
        int keys = 100_000;
        KeyedState state = new KeyedState(keys, 1L << 30);
        state.assigned(new long[4]);
        byte[] frame = new byte[200];
        long[] next = new long[4];
        for (int k = 0; k < keys; k++) {
            int p = k % 4;
            state.put(StateEntryBuilder.entry(p, next[p]++, "key-" + k).frame(frame).build());
        }
        Random random = new Random(7);
        long captureNanos = 0;
        long maxCapture = 0;
        long readNanos = 0;
        long entriesRead = 0;
        for (int client = 0; client < 1_000; client++) {
            for (int w = 0; w < 50; w++) { // the tail writes between joins
                int k = random.nextInt(keys);
                int p = k % 4;
                state.put(StateEntryBuilder.entry(p, next[p]++, "key-" + k).frame(frame).build());
            }
            long t0 = System.nanoTime();
            StateSnapshot snapshot = state.capture(next.clone());
            long t1 = System.nanoTime();
            for (StateEntry ignored : snapshot) {
                entriesRead++;
            }
            long t2 = System.nanoTime();
            captureNanos += t1 - t0;
            maxCapture = Math.max(maxCapture, t1 - t0);
            readNanos += t2 - t1;
        }
        assertThat(entriesRead).isEqualTo(1_000L * keys);
        log.info("state of {} keys, 1000 joins with 50 writes between: capture mean {} ns, max {} us; full read mean {} ms;"
                        + " {} compactions", keys, captureNanos / 1_000, maxCapture / 1_000, readNanos / 1_000 / 1_000_000.0,
                state.compactions());
    }

    private static StateEntry entry(int partition, long offset, String key) {
        return StateEntryBuilder.entry(partition, offset, key).build();
    }

    static void assertOffsetOrderPerPartition(List<StateEntry> entries) {
        Map<Integer, Long> last = new HashMap<>();
        Set<String> seen = new HashSet<>();
        for (StateEntry entry : entries) {
            assertThat(seen.add(entry.key())).as("key %s once", entry.key()).isTrue();
            Long before = last.put(entry.partition(), entry.offset());
            if (before != null) {
                assertThat(entry.offset()).isGreaterThan(before);
            }
        }
    }
}
