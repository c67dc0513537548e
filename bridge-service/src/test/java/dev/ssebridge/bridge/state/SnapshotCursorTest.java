package dev.ssebridge.bridge.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Snapshot, then live, with a client that leaves at a random point (before the first entry, mid-snapshot, at
 * {@code snapshot_end}) and resumes with an ordinary replay from its last {@code id:}: it must end with every
 * key's latest value over the whole history, and no record delivered twice.
 */
class SnapshotCursorTest {

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void aClientLeavingAnywhereInTheSnapshotResumesExactly(long seed) {
        Random random = new Random(seed);
        for (int round = 0; round < 200; round++) {
            RecordStream stream = new RecordStream(random, 1 + random.nextInt(4), 5 + random.nextInt(40),
                    50 + random.nextInt(300), 20);
            int joinedAt = random.nextInt(stream.records.size() + 1);
            KeyedState state = new KeyedState(Integer.MAX_VALUE, Long.MAX_VALUE);
            state.assigned(new long[stream.partitions]);
            for (int i = 0; i < joinedAt; i++) {
                stream.apply(state, i);
            }
            StateSnapshot snapshot = state.capture(stream.positionsAfter(joinedAt));

            Client client = new Client();
            long[] cursor = deliverUntilLeaving(random, snapshot, client);
            client.replayFrom(cursor, stream);

            Map<String, Long> truth = new HashMap<>();
            stream.latest(stream.records.size()).forEach((key, r) -> truth.put(key, r.offset()));
            assertThat(client.values).as("seed %d round %d", seed, round).isEqualTo(truth);
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4})
    void aTruncatedSnapshotResumesExactlyForEveryKeyAtOrAboveItsFloor(long seed) {
        Random random = new Random(seed);
        for (int round = 0; round < 200; round++) {
            RecordStream stream = new RecordStream(random, 1 + random.nextInt(3), 60, 400, 10);
            int joinedAt = 200 + random.nextInt(201);
            KeyedState state = new KeyedState(10 + random.nextInt(20), 100_000);
            state.assigned(new long[stream.partitions]);
            for (int i = 0; i < joinedAt; i++) {
                stream.apply(state, i);
            }
            StateSnapshot snapshot = state.capture(stream.positionsAfter(joinedAt));
            long[] floor = snapshot.floor();

            Client client = new Client();
            client.replayFrom(deliverUntilLeaving(random, snapshot, client), stream);

            Map<String, RecordStream.Rec> truth = stream.latest(stream.records.size());
            client.values.forEach((key, offset) -> assertThat(truth.get(key).offset()).isEqualTo(offset));
            truth.values().stream().filter(r -> r.offset() >= floor[r.partition()])
                    .forEach(r -> assertThat(client.values).containsEntry(r.key(), r.offset()));
        }
    }

    /** Sends the snapshot's entries, and maybe its end, until the client leaves; returns its last id's position. */
    private static long[] deliverUntilLeaving(Random random, StateSnapshot snapshot, Client client) {
        SnapshotCursor cursor = new SnapshotCursor(snapshot);
        long[] position = cursor.start();
        int leaveAfter = random.nextInt(snapshot.keys() + 2); // keys() + 1: after snapshot_end
        int sent = 0;
        for (StateEntry entry : snapshot) {
            if (sent == leaveAfter) {
                return position;
            }
            position = cursor.after(entry);
            client.receive(entry.partition(), entry.offset(), entry.key(), false);
            sent++;
        }
        return leaveAfter > sent ? cursor.end() : position;
    }

    /** What the client knows: key to the offset of the value it shows; and every record it was sent. */
    private static final class Client {
        final Map<String, Long> values = new HashMap<>();
        final Set<String> delivered = new HashSet<>();

        void receive(int partition, long offset, String key, boolean tombstone) {
            assertThat(delivered.add(partition + "/" + offset)).as("%d/%d delivered twice", partition, offset).isTrue();
            if (tombstone) {
                values.remove(key);
            } else {
                values.put(key, offset);
            }
        }

        /** The bridge's ordinary resume: every record at or above the cursor, in order (live included). */
        void replayFrom(long[] cursor, RecordStream stream) {
            List<RecordStream.Rec> replay = new ArrayList<>();
            for (RecordStream.Rec r : stream.records) {
                if (r.offset() >= (r.partition() < cursor.length ? cursor[r.partition()] : 0)) {
                    replay.add(r);
                }
            }
            replay.forEach(r -> receive(r.partition(), r.offset(), r.key(), r.tombstone()));
        }
    }
}
