package dev.ssebridge.bridge.hub;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import reactor.util.concurrent.Queues;

/**
 * One channel's subscribers that live on one event loop, and the events waiting to reach them.
 *
 * <p>The tail hands each event to each loop once, not to each connection: one task on the loop then
 * offers it to all of that loop's connections, whose writes happen right there instead of each being a
 * separate hand-off to its loop. When events arrive faster than the loop runs, the task takes all that
 * waits and gives each connection the whole batch as one item ({@link EventBatch}, split by
 * {@link dev.ssebridge.bridge.frame.WriteBatches}), which the connection renders into one chunk: one write for
 * the batch instead of one per event (Reactor Netty already flushed once per run). That is what makes a loop that
 * falls behind catch up: the busier it is, the less each delivery costs.
 *
 * <p>Events reach a connection in the order the tail published them: one queue, drained by one task at a
 * time on one thread.
 */
final class LoopFanout implements Runnable {

    private final Executor loop;
    private final Set<EventSink> sinks = ConcurrentHashMap.newKeySet();
    private final Queue<ChannelEvent> pending = Queues.<ChannelEvent>unboundedMultiproducer().get();
    private final AtomicBoolean scheduled = new AtomicBoolean();

    LoopFanout(Executor loop) {
        this.loop = loop;
    }

    /** Under the hub's lock (registration): the sink takes this loop's events from the next task on. */
    void add(EventSink sink) {
        sinks.add(sink);
    }

    /** Any thread (the connection's cleanup). */
    void remove(EventSink sink) {
        sinks.remove(sink);
    }

    /** Under the hub's lock: every sink leaves (the topic was re-created); returns them. */
    List<EventSink> removeAll() {
        List<EventSink> removed = new ArrayList<>(sinks);
        sinks.removeAll(removed);
        return removed;
    }

    /** Any thread: the sinks it serves now. */
    int size() {
        return sinks.size();
    }

    /** Tail thread, outside the hub's lock: the event reaches the connections on their loop. */
    void publish(ChannelEvent event) {
        if (sinks.isEmpty()) {
            return; // a connection subscribing now starts at or after this event (ChannelHub's lock)
        }
        pending.offer(event);
        if (scheduled.compareAndSet(false, true)) {
            try {
                loop.execute(this);
            } catch (RejectedExecutionException e) {
                // The server is shutting down its loops: its connections are ending, nobody to deliver to.
                pending.clear();
            }
        }
    }

    /** The event loop: offers what waits to every sink of this loop. */
    @Override
    public void run() {
        // Cleared before draining: an event offered from here on schedules another run, which may find
        // the queue already empty (harmless); none is left behind.
        scheduled.set(false);
        ChannelEvent first = pending.poll();
        if (first == null) {
            return;
        }
        ChannelEvent next = pending.poll();
        if (next == null) {
            // The usual case when the loop keeps up: one event, offered as it is.
            sinks.removeIf(sink -> !sink.offer(first));
            return;
        }
        List<ChannelEvent> waiting = new ArrayList<>();
        waiting.add(first);
        for (ChannelEvent event = next; event != null; event = pending.poll()) {
            waiting.add(event);
        }
        List<EventBatch> batches = EventBatch.runsOf(waiting);
        sinks.removeIf(sink -> !offerAll(sink, batches));
    }

    private static boolean offerAll(EventSink sink, List<EventBatch> batches) {
        for (EventBatch batch : batches) {
            if (!sink.offer(batch)) {
                return false;
            }
        }
        return true;
    }
}
