package dev.ssebridge.bridge.connection;

import dev.ssebridge.bridge.channel.Channel;
import dev.ssebridge.bridge.conflation.ConflatedQueue;
import dev.ssebridge.bridge.conflation.Conflation;
import dev.ssebridge.bridge.hub.ChannelEvent;
import dev.ssebridge.bridge.hub.EventBatch;
import dev.ssebridge.bridge.hub.EventSink;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.util.concurrent.Queues;

/**
 * The bounded queue between the hub's fan-out (producer) and one connection's HTTP response (the consumer). The
 * fan-out never waits for a connection: when its queue reaches the bound in events or bytes, the connection is
 * ended with {@link StreamEnd#FELL_BEHIND} after the events already queued, and the client resumes from its cursor.
 * Memory per connection stays bounded; no other client is slowed.
 *
 * <p>The queue grows in small chunks as needed, so an idle connection holds almost nothing. Items are live
 * events (alone or in batches), pings and, last, the end ({@link StreamItem}).
 *
 * <p>Threads: live events are offered on the connection's event loop (each channel's {@code LoopFanout} task),
 * pings on {@code sse-ping} (see {@link Keepalive}), ends on whichever thread ends the stream (token expiry and
 * overflow timers, the registry on shutdown or replacement), conflation releases on the event loop. This object's monitor serialises all
 * of them, which is what lets the sink skip its own serialisation checks; the response pipeline drains the queue on
 * the event loop.
 *
 * <p>With {@link Conflation}, live events of the channels that allow it pass through it first: there a client
 * that falls behind gets the latest value of each piece of state instead of the cut-off.
 */
public final class Outbox implements EventSink {

    /** Delivers on the publishing thread: for a response that is not served by a Netty event loop. */
    public static final Executor CALLER = Runnable::run;

    private final Sinks.Many<StreamItem> sink =
            Sinks.unsafe().many().unicast().onBackpressureBuffer(Queues.<StreamItem>unbounded(16).get());
    private final int maxEvents;
    private final long maxBytes;
    private final AtomicInteger pendingEvents = new AtomicInteger();
    private final AtomicLong pendingBytes = new AtomicLong();
    private final Runnable onOverflow;
    private final Executor loop;
    private final Conflation conflation; // null: no channel of the stream is conflated
    private final long stuckAfterNanos;
    /**
     * When the connection last took an item, 0 before it reads its queue at all (it is writing its snapshot or
     * replay, paced by its socket); only kept with conflation, which is what can hide a stuck client.
     */
    private volatile long lastDrain;
    /**
     * For {@link Keepalive}: the tick of the connection's last write, or after a ping, the ping's tick less
     * {@link #phase} (so that the next ping is due one interval after it). Written by the pipeline and by
     * {@code sse-ping} without a lock: one overwriting the other's newer value only brings a ping forward.
     */
    private volatile long lastWrite;
    private final int phase = Keepalive.phase();
    private StreamEnd end; // guarded by this

    /**
     * @param onOverflow      called once, on the offering thread, when the bound is reached; must not block
     * @param loop            the connection's event loop: live events are offered there (see {@code LoopFanout}),
     *                        or {@link #CALLER}
     * @param conflation      the stream's conflation, or null when no channel of it is conflated
     * @param stuckAfterNanos with conflation: a congested connection that takes nothing for this long is ended as
     *                        fallen behind (checked when its ping is due: a stuck connection writes nothing).
     *                        Conflation would otherwise hold its events forever, and only pings filling the queue,
     *                        hours later, would end it.
     */
    Outbox(int maxEvents, long maxBytes, Runnable onOverflow, Executor loop, Conflation conflation,
           long stuckAfterNanos) {
        this.stuckAfterNanos = stuckAfterNanos;
        this.maxEvents = maxEvents;
        this.maxBytes = maxBytes;
        this.onOverflow = onOverflow;
        this.loop = loop;
        this.conflation = conflation;
        if (conflation != null) {
            conflation.attach(new Queue());
        }
    }

    /** Any thread. */
    @Override
    public Executor loop() {
        return loop;
    }

    /**
     * The connection's event loop (the hub's fan-out): queues an event for the connection.
     *
     * @return false when the connection no longer takes events (ended, cancelled or just overflowed);
     *         the caller stops offering to it
     */
    @Override
    public boolean offer(ChannelEvent event) {
        if (conflation == null) {
            return offerItem(new StreamItem.Event(event));
        }
        synchronized (this) {
            return end == null && conflation.offer(event);
        }
    }

    /**
     * The connection's event loop (the hub's fan-out): queues events that leave in one write; counted as the events
     * they hold. See {@link #offer(ChannelEvent)}.
     */
    @Override
    public boolean offer(EventBatch batch) {
        if (conflation == null) {
            return offerItem(new StreamItem.Events(batch));
        }
        synchronized (this) {
            return end == null && conflation.offer(batch);
        }
    }

    /**
     * Whether the queue is more than half full: the client reads slower than its channels write, and conflation
     * holds what it can.
     */
    private boolean congested() {
        return pendingEvents.get() > maxEvents / 2 || pendingBytes.get() > maxBytes / 2;
    }

    /** Under the monitor: the connection ends as one that fell behind. */
    private void overflow() {
        if (end == null) {
            endWith(StreamEnd.FELL_BEHIND);
            onOverflow.run();
        }
    }

    /**
     * The registering thread, before any live event: the live position from which {@code channel}'s events reach
     * this connection (for conflation).
     */
    void live(Channel channel, long[] positions) {
        if (conflation != null) {
            synchronized (this) {
                conflation.live(channel, positions);
            }
        }
    }

    /**
     * The connection's pipeline, at each frame it writes other than a ping (and once when it opens): notes the tick,
     * for {@link Keepalive}.
     */
    void wrote(long tick) {
        if (tick > lastWrite) {
            lastWrite = tick;
        }
    }

    /** {@code sse-ping}: whether the connection wrote nothing for long enough to need a ping (see {@link Keepalive}). */
    boolean pingDue(long now) {
        return now - lastWrite >= Keepalive.TICKS_PER_INTERVAL + phase;
    }

    /** {@code sse-ping}, when {@link #pingDue}: queues {@code ping}, and the next is due one interval later. */
    void ping(long now, StreamItem.Ping ping) {
        if (offerPing(ping)) {
            lastWrite = now - phase;
        }
    }

    /** {@code sse-ping}: queues a ping frame; bounded like events, since a client that takes no pings is stuck too. */
    boolean offerPing(StreamItem.Ping ping) {
        if (stuck()) {
            synchronized (this) {
                overflow();
            }
            return false;
        }
        return offerItem(ping);
    }

    /** With conflation: congested, and the connection took nothing for longer than the bound while reading its queue. */
    private boolean stuck() {
        long drained = lastDrain;
        return conflation != null && drained != 0 && congested() && System.nanoTime() - drained > stuckAfterNanos;
    }

    private synchronized boolean offerItem(StreamItem item) {
        int events = item.events();
        int size = item.bytes();
        if (end != null) {
            return false;
        }
        if (pendingEvents.get() + events > maxEvents || pendingBytes.get() + size > maxBytes) {
            endWith(StreamEnd.FELL_BEHIND);
            onOverflow.run();
            return false;
        }
        pendingEvents.addAndGet(events);
        pendingBytes.addAndGet(size);
        if (sink.tryEmitNext(item).isFailure()) {
            // Cancelled: the client went away; its cleanup unregisters this outbox.
            end = StreamEnd.SHUTDOWN;
            return false;
        }
        return true;
    }

    /** Any thread: ends the stream after what is queued, with a final event naming {@code reason}. Idempotent. */
    /** Tail thread (see {@link EventSink#topicRecreated}): the stream ends after what is queued. */
    @Override
    public void topicRecreated() {
        end(StreamEnd.TOPIC_RECREATED);
    }

    public synchronized void end(StreamEnd reason) {
        if (end == null) {
            endWith(reason);
        }
    }

    private void endWith(StreamEnd reason) {
        end = reason;
        if (conflation != null) {
            conflation.close();
        }
        sink.tryEmitNext(new StreamItem.End(reason));
        sink.tryEmitComplete();
    }

    /**
     * The queued items, for the one connection that owns this outbox, drained on its event loop. Items queued before
     * subscription are kept (a resuming connection replays history first and takes live events afterwards).
     */
    Flux<StreamItem> items() {
        return sink.asFlux()
                .doOnSubscribe(s -> {
                    if (conflation != null) {
                        lastDrain = System.nanoTime();
                    }
                })
                .doOnNext(item -> release(item.events(), item.bytes()));
    }

    private void release(int events, int size) {
        pendingEvents.addAndGet(-events);
        pendingBytes.addAndGet(-size);
        if (conflation != null) {
            lastDrain = System.nanoTime();
        }
        if (conflation != null && conflation.mayHold() && events > 0 && !congested()) {
            // Room again: what congestion held goes out, on the connection's loop (not inside this drain).
            try {
                loop.execute(this::releaseHeld);
            } catch (RejectedExecutionException e) {
                // The server is stopping its loops: the connection is ending.
            }
        }
    }

    private synchronized void releaseHeld() {
        if (end == null && conflation.holding()) {
            conflation.release();
        }
    }

    /** The outbox as conflation sees it; conflation calls it under this outbox's monitor. */
    private final class Queue implements ConflatedQueue {

        @Override
        public boolean send(ChannelEvent event) {
            return offerItem(new StreamItem.Event(event));
        }

        @Override
        public boolean send(EventBatch batch) {
            return offerItem(new StreamItem.Events(batch));
        }

        @Override
        public boolean sendConflated(ChannelEvent event, long[] idPosition) {
            return offerItem(new StreamItem.Conflated(event, idPosition));
        }

        @Override
        public boolean congested() {
            return Outbox.this.congested();
        }

        /** At least 1: a congested queue is not asked. */
        @Override
        public int roomBeforeCongested() {
            return Math.max(1, maxEvents / 2 - pendingEvents.get());
        }

        @Override
        public void overflow() {
            Outbox.this.overflow();
        }

        @Override
        public void runLocked(Runnable task) {
            synchronized (Outbox.this) {
                task.run();
            }
        }
    }
}
