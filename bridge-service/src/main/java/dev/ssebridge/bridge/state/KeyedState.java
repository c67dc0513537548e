package dev.ssebridge.bridge.state;

import dev.ssebridge.bridge.where.ParsedValues;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The latest value of every key of one channel, for snapshots: built once per instance from the records
 * its tail reads, shared by every client that joins with {@code ?snapshot=true}.
 *
 * <p>Threads: every method is called with the hub's lock held, the mutators by the channel's one tail thread
 * in the same critical section that advances the tail's position, and {@link #capture} by request threads
 * together with reading that position. So a snapshot holds exactly the records below the position vector it
 * is taken with. Reading a snapshot happens afterwards, outside the lock, while the tail goes on.
 *
 * <p>How a capture stays O(partitions) at any number of keys: the entries live in an append-only log in the
 * order the tail read them (a key's new value is appended, its old slot marked ended at the current version).
 * A snapshot is the log array, its length and the version at capture; it shows the slots that had not ended
 * at that version. Appends write beyond every captured length, and compaction (copying the live slots to a
 * new array, when the log is full or holds more garbage bytes than live ones) leaves old arrays untouched, so
 * a snapshot being read never changes. Amortised cost per record: O(1).
 *
 * <p>Order: the log is in read order, so each partition's entries come in offset order, which is what lets a
 * client leave mid-snapshot with an exact cursor ({@link SnapshotCursor}).
 *
 * <p>Bounds: at most {@code maxKeys} keys and {@code maxBytes} bytes of frames and of the values {@code where}
 * filters parsed ({@link ParsedValues}; exceeded by at most the one newest entry, and by what was parsed since it).
 * Past them the least recently written key is evicted and its partition's {@linkplain StateSnapshot#floor() floor}
 * rises past it. The promise stays exact, only narrower: every key whose latest record is at or above the floor
 * is there with that record; keys below it may be missing, and the snapshot says so
 * ({@link StateSnapshot#truncated()}). Evicting the oldest keeps the keys that still change, and is what makes that
 * floor well defined (entries of a partition leave in offset order).
 *
 * <p>Assumption: a key lives in one partition (Kafka's default partitioner). A key written to two partitions
 * keeps whichever record the tail read last.
 */
public final class KeyedState {

    private final int maxKeys;
    private final long maxBytes;
    private final Map<String, Slot> latest = new HashMap<>(); // by state key
    /** Kafka key to its state keys, where they differ (a channel with a state field): what a tombstone ends. */
    private final Map<String, Set<String>> stateKeysOf = new HashMap<>();
    private Slot[] log = new Slot[16];
    private int head; // no live slot below
    private int length;
    private long version;
    private long bytes; // of live entries' frames
    private ParsedValues parsed = new ParsedValues(); // of live entries' parsed values
    private long garbageBytes; // of ended slots still in the current log array
    private long evicted;
    private long compactions;
    private long[] floor = new long[0];
    private long[] applied = new long[0]; // per partition, the next offset not yet applied

    public KeyedState(int maxKeys, long maxBytes) {
        if (maxKeys < 1 || maxBytes < 1) {
            throw new IllegalArgumentException("a state holds at least one key and one byte");
        }
        this.maxKeys = maxKeys;
        this.maxBytes = maxBytes;
    }

    /** The tail holds these partitions now; partitions not seen before are complete from {@code start}. */
    public void assigned(long[] start) {
        if (start.length > floor.length) {
            long[] grown = Arrays.copyOf(floor, start.length);
            System.arraycopy(start, floor.length, grown, floor.length, start.length - floor.length);
            floor = grown;
            long[] appliedGrown = Arrays.copyOf(applied, start.length);
            System.arraycopy(start, applied.length, appliedGrown, applied.length, start.length - applied.length);
            applied = appliedGrown;
        }
    }

    /**
     * The topic was deleted and re-created: nothing of the old one is state any more, and the new one is complete
     * from {@code start}. Snapshots taken before keep what they hold (they own the old log array).
     */
    public void restart(long[] start) {
        version++;
        latest.clear();
        stateKeysOf.clear();
        log = new Slot[16];
        head = 0;
        length = 0;
        bytes = 0;
        parsed = new ParsedValues(); // the old entries' values, if parsed later, charge the old one
        garbageBytes = 0;
        floor = start.clone();
        applied = start.clone();
    }

    /** A keyed record with a value: it becomes its key's entry. (Records without a key are not state: not passed.) */
    public void put(StateEntry entry) {
        if (!apply(entry.partition(), entry.offset())) {
            return;
        }
        version++;
        Slot slot = new Slot(entry);
        end(latest.put(entry.stateKey(), slot));
        if (!entry.stateKey().equals(entry.key())) {
            stateKeysOf.computeIfAbsent(entry.key(), k -> new HashSet<>()).add(entry.stateKey());
        }
        append(slot);
        entry.value().heldBy(parsed);
        bytes += entry.size();
        while ((latest.size() > maxKeys || bytes + parsed.bytes() > maxBytes) && latest.size() > 1) {
            evictOldest();
        }
        if (garbageBytes > Math.max(bytes, 1 << 20)) {
            compact(log.length);
        }
    }

    /** A tombstone: the key leaves the state, with every piece of state kept under it. */
    public void remove(String key, int partition, long offset) {
        if (key == null || !apply(partition, offset)) {
            return;
        }
        version++;
        end(latest.remove(key));
        Set<String> stateKeys = stateKeysOf.remove(key);
        if (stateKeys != null) {
            stateKeys.forEach(stateKey -> end(latest.remove(stateKey)));
        }
    }

    /**
     * The state as of now, paired with the tail's position vector read in the same critical section. O(number
     * of partitions).
     *
     * @param positions the tail's next offset per partition; owned by the snapshot from now on
     */
    public StateSnapshot capture(long[] positions) {
        return new StateSnapshot(log, head, length, version, positions, Arrays.copyOf(floor, positions.length),
                evicted, latest.size(), bytes);
    }

    public int keys() {
        return latest.size();
    }

    /** Frames and parsed values of the live entries: what the bound counts. */
    public long bytes() {
        return bytes + parsed.bytes();
    }

    /** Keys evicted by the bounds since this state was built. */
    public long evictedKeys() {
        return evicted;
    }

    /** How often the log was copied, for status and the benchmark. */
    public long compactions() {
        return compactions;
    }

    /** Records below what was applied already (a re-read after reassignment) are skipped: order stays by offset. */
    private boolean apply(int partition, long offset) {
        if (partition >= applied.length) {
            applied = Arrays.copyOf(applied, partition + 1);
            floor = Arrays.copyOf(floor, Math.max(floor.length, partition + 1));
        }
        if (offset < applied[partition]) {
            return false;
        }
        applied[partition] = offset + 1;
        return true;
    }

    private void end(Slot slot) {
        if (slot != null) {
            slot.endedAt = version;
            slot.entry.value().releasedBy(parsed);
            bytes -= slot.entry.size();
            garbageBytes += slot.entry.size();
        }
    }

    private void evictOldest() {
        while (log[head].endedAt != Slot.LIVE) {
            head++;
        }
        Slot oldest = log[head++];
        latest.remove(oldest.entry.stateKey());
        Set<String> stateKeys = stateKeysOf.get(oldest.entry.key());
        if (stateKeys != null && stateKeys.remove(oldest.entry.stateKey()) && stateKeys.isEmpty()) {
            stateKeysOf.remove(oldest.entry.key());
        }
        end(oldest);
        evicted++;
        int p = oldest.entry.partition();
        floor[p] = Math.max(floor[p], oldest.entry.offset() + 1);
    }

    private void append(Slot slot) {
        if (length == log.length) {
            compact(Math.max(16, 2 * latest.size()));
        }
        log[length++] = slot;
    }

    /** Copies the live slots, in order, to a new array; arrays held by snapshots are never written again. */
    private void compact(int capacity) {
        Slot[] copy = new Slot[Math.max(capacity, 2 * latest.size())];
        int n = 0;
        for (int i = head; i < length; i++) {
            if (log[i].endedAt == Slot.LIVE) {
                copy[n++] = log[i];
            }
        }
        log = copy;
        head = 0;
        length = n;
        garbageBytes = 0;
        compactions++;
    }

    /** One record in the log. {@code endedAt} is written once, by the tail; snapshots read it without the lock. */
    static final class Slot {
        static final long LIVE = Long.MAX_VALUE;

        final StateEntry entry;
        volatile long endedAt = LIVE;

        Slot(StateEntry entry) {
            this.entry = entry;
        }
    }
}
