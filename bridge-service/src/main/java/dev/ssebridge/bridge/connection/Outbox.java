package dev.ssebridge.bridge.connection;

import dev.ssebridge.bridge.channel.Channel;
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
 * The bounded queue between the channel tails (producers) and one connection's HTTP response (the
 * consumer). Tails never wait for a connection: when its queue reaches the bound in events or bytes, the
 * connection is ended with {@link StreamEnd#FELL_BEHIND} after the events already queued, and the
 * client resumes from its cursor. Memory per connection stays bounded; no other client is slowed.
 *
 * <p>The queue grows in small chunks as needed, so an idle connection holds almost nothing. Items are live
 * events (alone or in batches), pings and, last, the end ({@link StreamItem}).
 *
 * <p>Offers are serialised by this object's monitor (several tails may feed one multi-channel stream),
 * which is what lets the sink skip its own serialisation checks.
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
    private StreamEnd end; // guarded by this

    /**
     * @param onOverflow called once, on the offering thread, when the bound is reached; must not block
     * @param loop       the connection's event loop: live events are offered there (see {@link LoopFanout}),
     *                   or {@link #CALLER}
     */
    Outbox(int maxEvents, long maxBytes, Runnable onOverflow, Executor loop) {
        this(maxEvents, maxBytes, onOverflow, loop, null, Long.MAX_VALUE);
    }

    /**
     * @param stuckAfterNanos with conflation: a congested connection that takes nothing for this long is ended as
     *                        fallen behind (checked at each ping). Conflation would otherwise hold its events
     *                        forever, and only pings filling the queue, hours later, would end it.
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
            conflation.attach(this);
        }
    }

    @Override
    public Executor loop() {
        return loop;
    }

    /**
     * Queues an event for the connection.
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

    /** Queues events that leave in one write; counted as the events they hold. See {@link #offer(ChannelEvent)}. */
    @Override
    public boolean offer(EventBatch batch) {
        if (conflation == null) {
            return offerItem(new StreamItem.Events(batch));
        }
        synchronized (this) {
            return end == null && conflation.offer(batch);
        }
    }

    /** Queues an item as it is (for {@link Conflation}, which decided it goes now). */
    boolean enqueue(StreamItem item) {
        return offerItem(item);
    }

    /**
     * Whether the queue is more than half full: the client reads slower than its channels write, and conflation
     * holds what it can.
     */
    boolean congested() {
        return pendingEvents.get() > maxEvents / 2 || pendingBytes.get() > maxBytes / 2;
    }

    /** Events the queue takes before it is {@link #congested()} (at least 1: a congested queue is not asked). */
    int roomBeforeCongested() {
        return Math.max(1, maxEvents / 2 - pendingEvents.get());
    }

    /** Conflation could not hold more: the connection ends as one that fell behind. */
    synchronized void overflow() {
        if (end == null) {
            endWith(StreamEnd.FELL_BEHIND);
            onOverflow.run();
        }
    }

    /** The live position from which {@code channel}'s events reach this connection (for conflation). */
    void live(Channel channel, long[] positions) {
        if (conflation != null) {
            synchronized (this) {
                conflation.live(channel, positions);
            }
        }
    }

    /** Queues a ping frame; bounded like events, since a client that takes no pings is stuck too. */
    boolean offerPing(StreamItem.Ping ping) {
        long drained = lastDrain;
        if (conflation != null && drained != 0 && congested() && System.nanoTime() - drained > stuckAfterNanos) {
            overflow();
            return false;
        }
        return offerItem(ping);
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

    /** Ends the stream after what is queued, with a final event naming {@code reason}. Idempotent. */
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
     * The queued items, for the one connection that owns this outbox. Items queued before subscription
     * are kept (a resuming connection replays history first and takes live events afterwards).
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
}
