package dev.ssebridge.bridge.conflation;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Conflation for one connection and one channel: at most one event per key per interval ({@code max_rate}
 * events per second per key), and when a key changes faster, only its latest value waits to be sent. Keys are
 * never merged: each event sent is one the channel published, whole. Events without a key are never held.
 *
 * <p>Pure logic on a clock the caller passes in (nanoseconds, {@link System#nanoTime()} in production), so it
 * is tested without waiting. The caller: {@link #offer} each event as it arrives (after the connection's
 * filters); send it when told {@link Decision#SEND}, with the {@code id:} of {@link #position(long[])}; schedule a
 * timer for {@link #nextDueNanos()} and send what {@link #due} returns then, each with the position it names.
 *
 * <p>The cursor stays exact by one rule: <b>the connection's position never passes an event it holds.</b>
 * Every event sent carries as {@code id:} the channel's tail position after the newest event the connection
 * has seen, lowered, per partition, to the offset of the oldest event still held there (not yet written).
 * A client resuming from it replays every held event (and every later record), so the latest value of every
 * key still arrives. The price: events sent after a held one, in the same partition, may be sent again on
 * resume; for a conflated stream, whose contract is the latest value per key, that is harmless (the replay
 * runs in offset order, so each key ends on its latest value). An event replaced while held is dropped for
 * good: its key's newer value is held instead, and is at or above the position.
 *
 * <p>Bounded: at most {@code maxHeldKeys} keys held; the event that would need one more gets
 * {@link Decision#OVERFLOW}, and the caller ends the stream as a slow client's (the client resumes from its
 * cursor). Memory: the held events, plus the send times of keys sent within the last interval.
 *
 * <p>Not thread-safe: {@link Conflation} calls it under its connection's outbox monitor, from the hub's fan-out on
 * the connection's event loop and from release timers, one call at a time.
 */
public final class KeyConflator<T> {

    /** What to do with an offered event. */
    public enum Decision {
        /** Send it now. */
        SEND,
        /** Held (replacing the key's older held event, if any); it comes out of {@link #due}. */
        HELD,
        /** Too many keys held: the connection cannot keep up even conflated. */
        OVERFLOW
    }

    private final long intervalNanos;
    private final int maxHeldKeys;
    private final Map<String, Held<T>> held = new HashMap<>();
    private final TreeSet<Held<T>> byDueTime =
            new TreeSet<>(Comparator.<Held<T>>comparingLong(h -> h.dueAt).thenComparingLong(h -> h.heldSince));
    private final Map<String, Long> lastSent = new HashMap<>();
    private final ArrayDeque<Sent> sendOrder = new ArrayDeque<>(); // to forget send times older than the interval
    private TreeSet<Long>[] heldOffsets = newOffsetSets(0); // per partition
    private long arrivals;
    private long replaced;

    /**
     * @param intervalNanos least time between two events of one key (10^9 / max_rate)
     * @param maxHeldKeys   most keys held at once
     */
    public KeyConflator(long intervalNanos, int maxHeldKeys) {
        if (intervalNanos <= 0 || maxHeldKeys < 1) {
            throw new IllegalArgumentException("interval and held keys must be positive");
        }
        this.intervalNanos = intervalNanos;
        this.maxHeldKeys = maxHeldKeys;
    }

    /**
     * An event arrives.
     *
     * @param key       the event's key, or null (never held)
     * @param partition its partition
     * @param offset    its offset
     */
    public Decision offer(String key, int partition, long offset, T item, long nowNanos) {
        return arrive(key, partition, offset, item, nowNanos, false);
    }

    /**
     * An event arrives while the connection cannot take more (its socket is not keeping up): held whatever the
     * rate, replacing the key's older held event, until the caller releases it with {@link #due}. Unkeyed events
     * cannot be held and are {@link Decision#SEND}.
     */
    public Decision hold(String key, int partition, long offset, T item, long nowNanos) {
        return arrive(key, partition, offset, item, nowNanos, true);
    }

    private Decision arrive(String key, int partition, long offset, T item, long nowNanos, boolean congested) {
        forgetSendsBefore(nowNanos);
        long seq = ++arrivals;
        if (key == null) {
            return Decision.SEND;
        }
        if (replaceHeld(key, partition, offset, item, seq)) {
            return Decision.HELD;
        }
        Long sentAt = lastSent.get(key);
        if (!congested && (sentAt == null || nowNanos - sentAt >= intervalNanos)) {
            sent(key, nowNanos);
            return Decision.SEND;
        }
        long dueAt = sentAt == null ? nowNanos : Math.max(nowNanos, sentAt + intervalNanos);
        return newHeld(key, partition, offset, item, dueAt, seq);
    }

    /**
     * Drops the held events of the keys {@code deleted} accepts, for good, as if replaced: a tombstone of a Kafka
     * key deletes every piece of state under it, and none of their older values may follow it out.
     */
    public void discardHeld(java.util.function.Predicate<String> deleted) {
        for (var it = held.values().iterator(); it.hasNext(); ) {
            Held<T> h = it.next();
            if (deleted.test(h.key)) {
                it.remove();
                byDueTime.remove(h);
                offsets(h.partition).remove(h.offset);
                replaced++;
            }
        }
    }

    /** Events dropped for good because a newer one of their key replaced them while held. */
    public long replaced() {
        return replaced;
    }

    private boolean replaceHeld(String key, int partition, long offset, T item, long seq) {
        Held<T> waiting = held.get(key);
        if (waiting == null) {
            return false;
        }
        offsets(waiting.partition).remove(waiting.offset);
        waiting.replaceWith(item, partition, offset, seq);
        offsets(partition).add(offset);
        replaced++;
        return true;
    }

    private Decision newHeld(String key, int partition, long offset, T item, long dueAt, long seq) {
        if (held.size() >= maxHeldKeys) {
            return Decision.OVERFLOW;
        }
        Held<T> h = new Held<>(key, dueAt, seq);
        h.replaceWith(item, partition, offset, seq);
        held.put(key, h);
        byDueTime.add(h);
        offsets(partition).add(offset);
        return Decision.HELD;
    }

    /**
     * The held events whose key may be sent now, removed from the held set, in the order they arrived (which
     * keeps each partition's events in offset order), each with the position its {@code id:} must carry.
     *
     * <p>Each one's position still counts the events after it in the list as held: a write may reach the
     * client only in part, and a client that got the first of them only must not hold an id past the others.
     *
     * @param tail the tail position after the newest event this connection has seen
     */
    public List<Release<T>> due(long nowNanos, long[] tail) {
        return due(nowNanos, tail, Integer.MAX_VALUE);
    }

    /**
     * As {@link #due(long, long[])}, at most {@code max} of them (the first to arrive); the others stay held, due,
     * for the next call. For a connection with room for only so many.
     */
    public List<Release<T>> due(long nowNanos, long[] tail, int max) {
        List<Held<T>> ready = new ArrayList<>();
        while (!byDueTime.isEmpty() && byDueTime.first().dueAt - nowNanos <= 0) {
            ready.add(byDueTime.pollFirst());
        }
        if (ready.isEmpty() || max <= 0) {
            byDueTime.addAll(ready);
            return List.of();
        }
        ready.sort(Comparator.comparingLong(h -> h.seq));
        if (ready.size() > max) {
            byDueTime.addAll(ready.subList(max, ready.size()));
            ready = ready.subList(0, max);
        }
        List<Release<T>> releases = new ArrayList<>(ready.size());
        for (Held<T> h : ready) {
            held.remove(h.key);
            offsets(h.partition).remove(h.offset);
            sent(h.key, nowNanos);
            releases.add(new Release<>(h.item, position(tail)));
        }
        forgetSendsBefore(nowNanos);
        return releases;
    }

    /** A held event to send now, and the position for its {@code id:}. */
    public record Release<T>(T item, long[] position) {
    }

    /** When the next held event becomes due, or {@link Long#MAX_VALUE} when none is held. */
    public long nextDueNanos() {
        return byDueTime.isEmpty() ? Long.MAX_VALUE : byDueTime.first().dueAt;
    }

    /**
     * The position to send as {@code id:}: {@code tail} (the tail position after the newest event this
     * connection has seen, filtered ones included) with each partition lowered to its oldest held event.
     */
    public long[] position(long[] tail) {
        long[] position = tail.clone();
        for (int p = 0; p < Math.min(position.length, heldOffsets.length); p++) {
            if (heldOffsets[p] != null && !heldOffsets[p].isEmpty()) {
                position[p] = Math.min(position[p], heldOffsets[p].first());
            }
        }
        return position;
    }

    /** Keys held now. */
    public int heldKeys() {
        return held.size();
    }

    private void sent(String key, long nowNanos) {
        lastSent.put(key, nowNanos);
        sendOrder.addLast(new Sent(key, nowNanos));
    }

    /** A key sent a whole interval ago may be sent again at once: its send time is no longer needed. */
    private void forgetSendsBefore(long nowNanos) {
        while (!sendOrder.isEmpty() && nowNanos - sendOrder.peekFirst().at >= intervalNanos) {
            Sent s = sendOrder.pollFirst();
            Long at = lastSent.get(s.key);
            if (at != null && at == s.at && !held.containsKey(s.key)) {
                lastSent.remove(s.key);
            }
        }
    }

    private TreeSet<Long> offsets(int partition) {
        if (partition >= heldOffsets.length) {
            heldOffsets = Arrays.copyOf(heldOffsets, partition + 1);
        }
        if (heldOffsets[partition] == null) {
            heldOffsets[partition] = new TreeSet<>();
        }
        return heldOffsets[partition];
    }

    @SuppressWarnings("unchecked")
    private static TreeSet<Long>[] newOffsetSets(int n) {
        return (TreeSet<Long>[]) new TreeSet<?>[n];
    }

    /** The held event of one key. Its due time and first arrival order it in {@link #byDueTime}; both stay fixed. */
    private static final class Held<T> {
        final String key;
        final long dueAt;
        final long heldSince;
        T item;
        int partition;
        long offset;
        long seq;

        Held(String key, long dueAt, long heldSince) {
            this.key = key;
            this.dueAt = dueAt;
            this.heldSince = heldSince;
        }

        void replaceWith(T newItem, int newPartition, long newOffset, long newSeq) {
            item = newItem;
            partition = newPartition;
            offset = newOffset;
            seq = newSeq;
        }
    }

    private record Sent(String key, long at) {
    }
}
