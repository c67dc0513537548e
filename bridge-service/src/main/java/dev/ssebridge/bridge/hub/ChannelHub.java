package dev.ssebridge.bridge.hub;

import dev.ssebridge.bridge.channel.Channel;
import dev.ssebridge.bridge.cursor.CursorCodec;
import dev.ssebridge.bridge.cursor.Positions;
import dev.ssebridge.bridge.cursor.TopicIncarnation;
import dev.ssebridge.bridge.frame.ChannelRecord;
import dev.ssebridge.bridge.frame.SkipReason;
import dev.ssebridge.bridge.frame.SseFrames;
import dev.ssebridge.bridge.state.KeyedState;
import dev.ssebridge.bridge.state.StateEntry;
import dev.ssebridge.bridge.state.StateSnapshot;
import dev.ssebridge.bridge.where.EventValue;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * The hot stream of one channel: takes the records its Kafka tail reads, keeps the tail's position vector, and
 * hands each event to every subscribed connection's {@link EventSink}. Its two jobs are publishing and planning
 * where a subscriber starts; what its state's bootstrap stands at is {@link StateBootstrap}'s, what it counts
 * {@link HubCounters}'.
 *
 * <p>Threads: the tail's entry points ({@link #assigned}, {@link #tailPositions},
 * {@link #publish}, {@link #skipped}) are called by the channel's one tail thread; the subscribers' ({@code
 * subscribe*}, {@link #replayPlan}, {@link #ringContents}, {@link #unsubscribe}) by request threads and event loops;
 * the readers' by anyone. The lock makes "register and note the position" atomic against "advance the position", so
 * a subscriber's starting position and the events it gets meet without a gap. Every method holds it only for a
 * bounded step (no I/O, no callback into a connection). Fan-out happens outside the lock, one hand-off per event loop
 * ({@link LoopFanout}): an event that also reaches a subscriber whose starting position already includes it is
 * dropped by that connection (its offset is below the connection's next expected offset), so the race costs
 * nothing.
 *
 * <p>A channel that keeps state ({@link KeyedState}: the latest value of every key, for snapshots) updates it in the
 * same critical section, so a snapshot and the position it is taken at always agree.
 *
 * <p>The positions are those of one incarnation of the topic ({@link TopicIncarnation}, from its topic id). When the
 * tail finds the topic deleted and re-created ({@link #assigned} with another incarnation), the hub starts again at
 * the new topic's positions: ring and state emptied, and every subscriber told ({@link EventSink#topicRecreated}) and
 * dropped, for its offsets are the old topic's.
 */
public final class ChannelHub {

    private final Channel channel;
    private final CursorCodec codec;
    /** Subscribers by the event loop they are served on; a handful of loops, created as first seen. */
    private final Map<Executor, LoopFanout> loops = new ConcurrentHashMap<>();
    private final Object lock = new Object();
    private long[] next; // guarded by lock; null until the tail is first assigned its partitions
    private volatile int incarnation = TopicIncarnation.UNKNOWN; // written under lock
    private final int ringEvents;
    private final long ringBytes;
    private EventRing ring; // guarded by lock
    private final KeyedState state; // guarded by lock; null when the channel keeps no state
    private final StateBootstrap bootstrap; // guarded by lock but for announce() and whenReady()
    private final HubCounters counters = new HubCounters();
    private final Sinks.One<long[]> firstAssignment = Sinks.one();

    /** @param state the channel's latest value per key, or null when it keeps none */
    public ChannelHub(Channel channel, CursorCodec codec, int ringEvents, long ringBytes, KeyedState state) {
        this.channel = channel;
        this.codec = codec;
        this.ringEvents = ringEvents;
        this.ringBytes = ringBytes;
        this.ring = new EventRing(ringEvents, ringBytes);
        this.state = state;
        this.bootstrap = new StateBootstrap(state != null);
    }

    public Channel channel() {
        return channel;
    }

    /** What the hub has counted; read on any thread. */
    public HubCounters counters() {
        return counters;
    }

    /** Tail thread: {@link #assigned(int, long[], long[], long)} without a bootstrap. */
    public void assigned(int topic, long[] startPositions) {
        assigned(topic, startPositions, null, 0);
    }

    /**
     * Tail thread: the tail was (re)assigned partitions at these positions, in the topic's incarnation
     * {@code topic}. Partitions the hub already tracks keep the hub's position (the tail seeks there); new partitions
     * start where the tail says. In another incarnation than the hub's (the topic was deleted and re-created), the
     * hub starts again at {@code startPositions}: see the class comment.
     *
     * @param bootstrapEnds for a channel that keeps state, when the tail starts at the topic's beginning to build it:
     *                      the topic's end offsets then; until the tail reaches them, what it reads is history, and
     *                      live subscribers start at them. Null otherwise. In the same critical section as the
     *                      assignment: a live subscriber in between would take the history for live events.
     * @param historyBefore with {@code bootstrapEnds}: records below them written before this instant (epoch millis,
     *                      the bridge's start) are history ({@link ChannelEvent#history}), which a live subscriber
     *                      that came before the assignment does not take; those written since are news to it
     */
    public void assigned(int topic, long[] startPositions, long[] bootstrapEnds, long historyBefore) {
        List<EventSink> dropped = List.of();
        synchronized (lock) {
            long[] merged = startPositions.clone();
            if (TopicIncarnation.differs(incarnation, topic)) {
                ring = new EventRing(ringEvents, ringBytes);
                if (state != null) {
                    state.restart(merged);
                }
                dropped = new ArrayList<>();
                for (LoopFanout fanout : loops.values()) {
                    dropped.addAll(fanout.removeAll());
                }
                // New fan-outs for the new topic: events of the old one still queued on a loop stay with the old
                // fan-out (which serves nobody now) and never reach a subscriber of the new topic.
                loops.clear();
                // A bootstrap of the old topic in progress is over: its ends are the old topic's offsets.
                bootstrap.end();
            } else if (next != null) {
                System.arraycopy(next, 0, merged, 0, Math.min(next.length, merged.length));
            }
            next = merged;
            incarnation = topic;
            ring.assigned(merged);
            if (state != null) {
                state.assigned(merged);
            }
            if (bootstrapEnds != null) {
                bootstrap.begin(bootstrapEnds, next, historyBefore);
            }
        }
        bootstrap.announce();
        // Outside the lock: a sink's end takes its outbox's monitor. It gets no more events: the old topic's still queued
        // on its loop are dropped with the old fan-out (its cursor resumes at the new topic's beginning after a
        // replay_gap, the old topic being gone), and none of the new topic reaches it.
        dropped.forEach(EventSink::topicRecreated);
        firstAssignment.tryEmitValue(startPositions.clone());
    }

    /**
     * Any thread: the incarnation of the topic the hub's positions are in ({@link TopicIncarnation#UNKNOWN} before the
     * tail's first assignment). A subscriber reads it before and after subscribing: the same value both times means it
     * subscribed in that incarnation (it never returns to an earlier one).
     */
    public int incarnation() {
        return incarnation;
    }

    /** Any thread: completes with the tail's first positions once it has its partitions (at once if it has them). */
    public Mono<long[]> whenAssigned() {
        return firstAssignment.asMono().map(ignored -> positions());
    }

    /** Any thread: the tail's next offset by partition, or null before the tail first got its partitions. */
    public long[] positions() {
        synchronized (lock) {
            return next == null ? null : next.clone();
        }
    }

    /** Any thread: whether the channel keeps the latest value of every key (snapshots). */
    public boolean keepsState() {
        return state != null;
    }

    /**
     * Tail thread: the tail's consumer stands at {@code consumerPositions}, which count offsets no record is
     * delivered for (transaction markers, compacted-away records at the end): the bootstrap may be over without a
     * record at its last offset.
     */
    public void tailPositions(long[] consumerPositions) {
        synchronized (lock) {
            bootstrap.checkConsumer(consumerPositions, next);
        }
        bootstrap.announce();
    }

    /** Any thread: whether the tail still reads the history its state is built from (never on a channel without state). */
    public boolean readingHistory() {
        return !bootstrap.over();
    }

    /** Any thread: completes once the state holds what the topic had when the tail started (at once without state). */
    public Mono<Boolean> whenStateReady() {
        return bootstrap.whenReady();
    }

    /**
     * Tail thread: a deliverable record. It moves the position on, gets the cursor after it as its id, and goes to
     * every subscriber.
     */
    public void publish(ChannelRecord record) {
        ChannelEvent event;
        synchronized (lock) {
            advance(record.partition(), record.offset());
            long[] after = next.clone();
            byte[] frame = SseFrames.withId(codec.encode(channel, incarnation, after), record.body(), 0);
            int bodyOffset = frame.length - record.body().length;
            EventValue value = record.tombstone() ? EventValue.ABSENT
                    : EventValue.ofJson(frame, bodyOffset + record.valueOffset(), record.valueLength());
            event = new ChannelEvent(channel, record.partition(), record.offset(), record.timestamp(), record.key(),
                    record.severity(), after, frame, bodyOffset, value, record.stateKey(), record.headers(), incarnation,
                    bootstrap.isHistory(record.partition(), record.offset(), record.timestamp()));
            ring.add(event);
            if (state != null && record.key() != null) {
                if (record.tombstone()) {
                    state.remove(record.key(), record.partition(), record.offset());
                } else {
                    state.put(new StateEntry(record.partition(), record.offset(), record.timestamp(), record.key(),
                            record.stateKey(), record.severity(), frame, bodyOffset, value, record.headers()));
                }
            }
            bootstrap.check(next);
        }
        bootstrap.announce();
        counters.published();
        for (LoopFanout fanout : loops.values()) {
            fanout.publish(event);
        }
    }

    /** Tail thread: a record that cannot be delivered; it still moves the position on. */
    public void skipped(int partition, long offset, SkipReason reason) {
        synchronized (lock) {
            advance(partition, offset);
            bootstrap.check(next);
        }
        bootstrap.announce();
        counters.skipped(reason);
    }

    /**
     * Request thread or event loop: registers a connection's outbox for every event published from now on.
     *
     * @return the position vector at the moment of registration (every later event is at or after it),
     *         or null when the tail has no partitions yet
     */
    public long[] subscribe(EventSink sink) {
        synchronized (lock) {
            // Before the tail's first assignment (a topic created later, a bridge still starting) the subscriber takes
            // what the tail publishes but the history a state is built from (ChannelEvent.history): records written
            // since the bridge started are news to it, on a topic created after it came as on one read from its start.
            add(sink);
            return next == null ? null : bootstrap.live(next);
        }
    }

    /**
     * Request thread or event loop: registers a connection's outbox for live events and takes a snapshot of the
     * state, atomically: the snapshot holds exactly the records below its positions, and live events continue from
     * them.
     */
    public StateSnapshot subscribeWithSnapshot(EventSink sink) {
        if (state == null) {
            throw new IllegalStateException("channel " + channel.name() + " keeps no state");
        }
        synchronized (lock) {
            add(sink);
            counters.snapshotServed();
            return state.capture(next == null ? new long[0] : next.clone());
        }
    }

    /**
     * Request thread or event loop: registers a connection's outbox for live events and plans its replay from
     * {@code start}, atomically, so that replay (up to the returned tail position) and live events (from it) meet
     * exactly.
     *
     * @param start per partition the first offset the connection needs, or {@link Positions#EARLIEST} /
     *              {@link Positions#LATEST}; partitions beyond its length start at {@link Positions#EARLIEST} (the
     *              topic grew since)
     * @return the plan, or null when the tail has no partitions yet
     */
    public Splice subscribe(EventSink sink, long[] start) {
        synchronized (lock) {
            add(sink);
            return plan(start);
        }
    }

    /**
     * Request thread: plans a replay from {@code start} up to the tail's position now, without registering anything:
     * for history queries. Same rules as {@link #subscribe(EventSink, long[])}.
     *
     * @return the plan, or null when the tail has no partitions yet
     */
    public Splice replayPlan(long[] start) {
        synchronized (lock) {
            return plan(start);
        }
    }

    /**
     * Request thread: everything the ring holds, as a plan whose start is the ring's floor; null before the tail has
     * partitions.
     */
    public Splice ringContents() {
        synchronized (lock) {
            if (next == null) {
                return null;
            }
            long[] tail = next.clone();
            long[] floor = ring.floor(tail.length);
            boolean[] all = new boolean[tail.length];
            Arrays.fill(all, true);
            counters.replayPlanned(false);
            return new Splice(tail, floor, ring.since(floor, all), Map.of());
        }
    }

    /** Any thread: how many outboxes take its events now. */
    public int subscribers() {
        int count = 0;
        for (LoopFanout fanout : loops.values()) {
            count += fanout.size();
        }
        return count;
    }

    /** Any thread (the connection's cleanup): the outbox takes no more events. */
    public void unsubscribe(EventSink sink) {
        LoopFanout fanout = loops.get(sink.loop());
        if (fanout != null) {
            fanout.remove(sink);
        }
    }

    /** Any thread: keys, bytes and evicted keys of the state, and snapshots served; null when it keeps no state. */
    public StateFigures stateFigures() {
        if (state == null) {
            return null;
        }
        synchronized (lock) {
            return new StateFigures(state.keys(), state.bytes(), state.evictedKeys(), counters.snapshotsServed(),
                    !bootstrap.inProgress() && next != null);
        }
    }

    /** What a channel's state holds, for status and metrics. */
    public record StateFigures(int keys, long bytes, long evictedKeys, long snapshotsServed, boolean ready) {
    }

    /** Any thread: events and bytes in the ring now. */
    public long[] ringSize() {
        synchronized (lock) {
            return new long[] {ring.size(), ring.bytes()};
        }
    }

    // Caller holds the lock.
    private Splice plan(long[] start) {
        if (next == null) {
            return null;
        }
        long[] tail = next.clone();
        long[] live = bootstrap.live(next);
        long[] resolved = new long[tail.length];
        boolean[] wanted = new boolean[tail.length];
        Map<Integer, Long> fromKafka = new TreeMap<>();
        for (int p = 0; p < tail.length; p++) {
            long s = p < start.length ? start[p] : Positions.EARLIEST;
            resolved[p] = s == Positions.LATEST ? live[p] : s;
            if (resolved[p] != Positions.EARLIEST && resolved[p] >= tail[p]) {
                continue;
            }
            if (resolved[p] != Positions.EARLIEST && ring.covers(p, resolved[p])) {
                wanted[p] = true;
            } else {
                fromKafka.put(p, resolved[p]);
            }
        }
        List<ChannelEvent> fromRing = ring.since(resolved, wanted);
        counters.replayPlanned(!fromKafka.isEmpty());
        return new Splice(tail, resolved, fromRing, fromKafka);
    }

    // Caller holds the lock.
    private void add(EventSink sink) {
        loops.computeIfAbsent(sink.loop(), LoopFanout::new).add(sink);
    }

    // Caller holds the lock.
    private void advance(int partition, long offset) {
        if (next == null) {
            next = new long[partition + 1];
        } else if (partition >= next.length) {
            next = Arrays.copyOf(next, partition + 1);
        }
        next[partition] = Math.max(next[partition], offset + 1);
    }
}
