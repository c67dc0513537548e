package dev.ssebridge.bridge.state;

import java.util.Arrays;

/**
 * The position a client holds while it receives a snapshot, and so the {@code id:} each snapshot event must
 * carry for a resume to be exact.
 *
 * <p>The rule: before the first entry, the position is the snapshot's {@linkplain StateSnapshot#floor() floor};
 * after an entry at partition {@code p}, offset {@code o}, it is {@code o + 1} for {@code p}, the other
 * partitions unchanged; after {@code snapshot_end}, it is the snapshot's {@linkplain StateSnapshot#positions()
 * positions}, where live events continue. It is an ordinary cursor: a client that leaves mid-snapshot resumes
 * with a normal replay from it, and gets every key's latest value, none twice, because
 * <ul>
 * <li>entries come by increasing offset within each partition, so in each partition every entry below the
 *     cursor was sent, and every record at or above it is replayed (including each key's latest one);</li>
 * <li>the snapshot sent only records below the cursor, and the replay only records at or above it.</li>
 * </ul>
 * The replay may be long (from the floor, for partitions the snapshot had not reached). An entry filtered out
 * moves the cursor on just the same, as for live events.
 *
 * <p>Used by one connection's pipeline, one entry at a time; not thread-safe.
 */
public final class SnapshotCursor {

    private final long[] next;
    private final long[] end;

    public SnapshotCursor(StateSnapshot snapshot) {
        this.next = snapshot.floor();
        this.end = snapshot.positions();
    }

    /** The position before any entry. */
    public long[] start() {
        return next.clone();
    }

    /** The position right after {@code entry}, an entry of the snapshot, taken in order. */
    public long[] after(StateEntry entry) {
        next[entry.partition()] = entry.offset() + 1;
        return next.clone();
    }

    /** The position after {@code snapshot_end}. */
    public long[] end() {
        return end.clone();
    }

    @Override
    public String toString() {
        return "SnapshotCursor" + Arrays.toString(next);
    }
}
