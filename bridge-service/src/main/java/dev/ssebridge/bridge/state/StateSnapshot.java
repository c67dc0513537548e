package dev.ssebridge.bridge.state;

import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * The latest value of every key of a channel at one position vector: what a client joining with
 * {@code ?snapshot=true} receives before {@code snapshot_end} and live events. Immutable once taken; read on
 * any thread without locking (see {@link KeyedState} for why that is safe).
 *
 * <p>Iteration order: the order the tail read the entries' records, so the entries of each partition come by
 * increasing offset. {@link SnapshotCursor} relies on it.
 */
public final class StateSnapshot implements Iterable<StateEntry> {

    private final KeyedState.Slot[] log;
    private final int from;
    private final int to;
    private final long version;
    private final long[] positions;
    private final long[] floor;
    private final long evicted;
    private final int keys;
    private final long bytes;

    StateSnapshot(KeyedState.Slot[] log, int from, int to, long version, long[] positions, long[] floor,
                  long evicted, int keys, long bytes) {
        this.log = log;
        this.from = from;
        this.to = to;
        this.version = version;
        this.positions = positions;
        this.floor = floor;
        this.evicted = evicted;
        this.keys = keys;
        this.bytes = bytes;
    }

    /** The tail's next offset per partition when the snapshot was taken: where live events take over. */
    public long[] positions() {
        return positions.clone();
    }

    /**
     * Per partition, the offset from which the snapshot is complete: every key whose latest record below
     * {@link #positions()} is at or above it is here, with that record. It is where the state began (its
     * first assignment) unless the bounds evicted keys, which raises it past them. Keys whose latest record
     * lies below it may be missing; whether the state began at the topic's start is the hub's knowledge.
     */
    public long[] floor() {
        return floor.clone();
    }

    /** Whether the bounds ever evicted a key, so that {@link #floor()} is above where the state began. */
    public boolean truncated() {
        return evicted > 0;
    }

    /** Keys evicted by the bounds before this snapshot. */
    public long evictedKeys() {
        return evicted;
    }

    /** Number of entries. */
    public int keys() {
        return keys;
    }

    /** Bytes of the entries' frames. */
    public long bytes() {
        return bytes;
    }

    @Override
    public Iterator<StateEntry> iterator() {
        return new Iterator<>() {
            private int next = advance(from);

            @Override
            public boolean hasNext() {
                return next < to;
            }

            @Override
            public StateEntry next() {
                if (next >= to) {
                    throw new NoSuchElementException();
                }
                StateEntry entry = log[next].entry;
                next = advance(next + 1);
                return entry;
            }
        };
    }

    /** The first index at or after {@code i} whose slot was live at this snapshot's version. */
    private int advance(int i) {
        while (i < to && log[i].endedAt <= version) {
            i++;
        }
        return i;
    }

    @Override
    public String toString() {
        return "StateSnapshot[keys=" + keys + ", bytes=" + bytes + ", positions=" + Arrays.toString(positions)
                + ", floor=" + Arrays.toString(floor) + ", evicted=" + evicted + "]";
    }
}
