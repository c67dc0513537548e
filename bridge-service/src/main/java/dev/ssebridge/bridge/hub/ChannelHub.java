package dev.ssebridge.bridge.hub;

import dev.ssebridge.bridge.channel.Channel;
import dev.ssebridge.bridge.cursor.CursorCodec;
import dev.ssebridge.bridge.frame.ChannelRecord;
import dev.ssebridge.bridge.frame.SkipReason;
import dev.ssebridge.bridge.frame.SseFrames;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.LongAdder;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * The hot stream of one channel: takes the records its Kafka tail reads, keeps the tail's position
 * vector, and hands each event to every subscribed connection's {@link EventSink}.
 *
 * <p>Threads: {@link #assigned}, {@link #publish} and {@link #skipped} are called by the channel's one
 * tail thread; {@link #subscribe} by request threads. The lock makes "register and note the position"
 * atomic against "advance the position", so a subscriber's starting position and the events it gets
 * meet without a gap. Fan-out happens outside the lock, one hand-off per event loop ({@link LoopFanout}):
 * an event that also reaches a subscriber whose starting position already includes it is dropped by that
 * connection (its offset is below the connection's next expected offset), so the race costs nothing.
 */
public final class ChannelHub {

    /** Start marker: from the first offset Kafka still holds (a partition the client's cursor did not know). */
    public static final long EARLIEST = -1;
    /** Start marker: from the tail's position at registration, i.e. live only. */
    public static final long LATEST = -2;

    private final Channel channel;
    private final CursorCodec codec;
    /** Subscribers by the event loop they are served on; a handful of loops, created as first seen. */
    private final Map<Executor, LoopFanout> loops = new ConcurrentHashMap<>();
    private final Object lock = new Object();
    private long[] next; // guarded by lock; null until the tail is first assigned its partitions
    private final LongAdder published = new LongAdder();
    private final Map<SkipReason, LongAdder> skipped = new EnumMap<>(SkipReason.class);
    private final EventRing ring; // guarded by lock
    private final LongAdder replaysFromRing = new LongAdder();
    private final LongAdder replaysFromKafka = new LongAdder();
    private final Sinks.One<long[]> firstAssignment = Sinks.one();

    public ChannelHub(Channel channel, CursorCodec codec, int ringEvents, long ringBytes) {
        this.channel = channel;
        this.codec = codec;
        this.ring = new EventRing(ringEvents, ringBytes);
        for (SkipReason reason : SkipReason.values()) {
            skipped.put(reason, new LongAdder());
        }
    }

    public Channel channel() {
        return channel;
    }

    /**
     * The tail was (re)assigned partitions at these positions. Partitions the hub already tracks keep
     * the hub's position (the tail seeks there); new partitions start where the tail says.
     */
    public void assigned(long[] startPositions) {
        synchronized (lock) {
            long[] merged = startPositions.clone();
            if (next != null) {
                System.arraycopy(next, 0, merged, 0, Math.min(next.length, merged.length));
            }
            next = merged;
            ring.assigned(merged);
        }
        firstAssignment.tryEmitValue(startPositions.clone());
    }

    /** Completes with the tail's first positions once it has its partitions (at once if it has them). */
    public Mono<long[]> whenAssigned() {
        return firstAssignment.asMono().map(ignored -> positions());
    }

    /** The tail's next offset by partition, or null before the tail first got its partitions. */
    public long[] positions() {
        synchronized (lock) {
            return next == null ? null : next.clone();
        }
    }

    /** A deliverable record: it moves the position on, gets the cursor after it as its id, and goes to every subscriber. */
    public void publish(ChannelRecord record) {
        ChannelEvent event;
        synchronized (lock) {
            advance(record.partition(), record.offset());
            long[] after = next.clone();
            byte[] frame = SseFrames.withId(codec.encode(channel, after), record.body(), 0);
            event = new ChannelEvent(channel, record.partition(), record.offset(), record.timestamp(), record.key(),
                    record.severity(), after, frame, frame.length - record.body().length);
            ring.add(event);
        }
        published.increment();
        for (LoopFanout fanout : loops.values()) {
            fanout.publish(event);
        }
    }

    /** A record that cannot be delivered; it still moves the position on. */
    public void skipped(int partition, long offset, SkipReason reason) {
        synchronized (lock) {
            advance(partition, offset);
        }
        skipped.get(reason).increment();
    }

    /**
     * Registers a connection's outbox for every event published from now on.
     *
     * @return the position vector at the moment of registration (every later event is at or after it),
     *         or null when the tail has no partitions yet
     */
    public long[] subscribe(EventSink sink) {
        synchronized (lock) {
            add(sink);
            return next == null ? null : next.clone();
        }
    }

    /**
     * Registers a connection's outbox for live events and plans its replay from {@code start}, atomically,
     * so that replay (up to the returned tail position) and live events (from it) meet exactly.
     *
     * @param start per partition the first offset the connection needs, or {@link #EARLIEST} / {@link #LATEST};
     *              partitions beyond its length start at {@link #EARLIEST} (the topic grew since)
     * @return the plan, or null when the tail has no partitions yet
     */
    public Splice subscribe(EventSink sink, long[] start) {
        synchronized (lock) {
            add(sink);
            return plan(start);
        }
    }

    /**
     * Plans a replay from {@code start} up to the tail's position now, without registering anything: for
     * history queries. Same rules as {@link #subscribe(Outbox, long[])}.
     *
     * @return the plan, or null when the tail has no partitions yet
     */
    public Splice replayPlan(long[] start) {
        synchronized (lock) {
            return plan(start);
        }
    }

    /** Everything the ring holds, as a plan whose start is the ring's floor; null before the tail has partitions. */
    public Splice ringContents() {
        synchronized (lock) {
            if (next == null) {
                return null;
            }
            long[] tail = next.clone();
            long[] floor = ring.floor(tail.length);
            boolean[] all = new boolean[tail.length];
            Arrays.fill(all, true);
            replaysFromRing.increment();
            return new Splice(tail, floor, ring.since(floor, all), Map.of());
        }
    }

    // Caller holds the lock.
    private Splice plan(long[] start) {
        if (next == null) {
            return null;
        }
        long[] tail = next.clone();
        long[] resolved = new long[tail.length];
        boolean[] wanted = new boolean[tail.length];
        Map<Integer, Long> fromKafka = new TreeMap<>();
        for (int p = 0; p < tail.length; p++) {
            long s = p < start.length ? start[p] : EARLIEST;
            resolved[p] = s == LATEST ? tail[p] : s;
            if (resolved[p] != EARLIEST && resolved[p] >= tail[p]) {
                continue;
            }
            if (resolved[p] != EARLIEST && ring.covers(p, resolved[p])) {
                wanted[p] = true;
            } else {
                fromKafka.put(p, resolved[p]);
            }
        }
        List<ChannelEvent> fromRing = ring.since(resolved, wanted);
        (fromKafka.isEmpty() ? replaysFromRing : replaysFromKafka).increment();
        return new Splice(tail, resolved, fromRing, fromKafka);
    }

    // Caller holds the lock.
    private void add(EventSink sink) {
        loops.computeIfAbsent(sink.loop(), LoopFanout::new).add(sink);
    }

    public void unsubscribe(EventSink sink) {
        LoopFanout fanout = loops.get(sink.loop());
        if (fanout != null) {
            fanout.remove(sink);
        }
    }

    public long publishedCount() {
        return published.sum();
    }

    /** Resumes served from memory alone. */
    public long replaysFromRing() {
        return replaysFromRing.sum();
    }

    /** Resumes that needed a Kafka consumer for at least one partition. */
    public long replaysFromKafka() {
        return replaysFromKafka.sum();
    }

    /** Events and bytes in the ring now. */
    public long[] ringSize() {
        synchronized (lock) {
            return new long[] {ring.size(), ring.bytes()};
        }
    }

    public long skippedCount(SkipReason reason) {
        return skipped.get(reason).sum();
    }

    private void advance(int partition, long offset) {
        if (next == null) {
            next = new long[partition + 1];
        } else if (partition >= next.length) {
            next = Arrays.copyOf(next, partition + 1);
        }
        next[partition] = Math.max(next[partition], offset + 1);
    }
}
