package dev.ssebridge.bridge.connection;

import dev.ssebridge.bridge.channel.Channel;
import dev.ssebridge.bridge.conflation.KeyConflator;
import dev.ssebridge.bridge.hub.ChannelEvent;
import dev.ssebridge.bridge.hub.EventBatch;
import dev.ssebridge.bridge.where.EventValue;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import reactor.core.Disposable;
import reactor.core.scheduler.Scheduler;

/**
 * Conflation of one connection's live events, between the hub's fan-out and its {@link Outbox}: per channel that
 * allows it, at most {@code max_rate} events per second per piece of state when the client asked for a rate (or the
 * channel has a default), and, whatever the rate, only the latest value of each piece of state while the
 * connection's queue is half full (its client reads slower than the channel writes). Held events replace each
 * other instead of queueing, so such a client gets the latest state instead of being cut off ({@code fell_behind}).
 * Keys are never merged; events without a key are never held; the {@code id:} rule is {@link KeyConflator}'s.
 *
 * <p>Filters apply before conflation (an event the client does not want must not replace one it does).
 *
 * <p>Threads: every method runs under the outbox's monitor (offers come from the fan-out, releases from a timer
 * and from the outbox draining), so the conflators need no locking of their own.
 */
final class Conflation {

    private final Map<Channel, PerChannel> channels = new HashMap<>();
    private final StreamFilter filter;
    private final Executor loop;
    private final Scheduler timers;
    private final LongSupplier nanoTime;
    private final DeliveryMetrics metrics;
    private Outbox outbox;
    private Disposable timer;
    private long timerDueAt;
    /** Whether any event is held; read without the monitor by the outbox as it drains (a stale true costs a check). */
    private volatile boolean mayHold;

    Conflation(Map<Channel, StreamOptions.Policy> policies, StreamFilter filter, Executor loop, Scheduler timers,
               LongSupplier nanoTime, DeliveryMetrics metrics) {
        policies.forEach((channel, policy) -> channels.put(channel, new PerChannel(policy)));
        this.filter = filter;
        this.loop = loop;
        this.timers = timers;
        this.nanoTime = nanoTime;
        this.metrics = metrics;
    }

    void attach(Outbox outbox) {
        this.outbox = outbox;
    }

    /**
     * The connection takes live events of {@code channel} from {@code positions} on (what is below came with its
     * replay or snapshot); null when the channel has no positions yet. Until then its events pass unconflated.
     */
    void live(Channel channel, long[] positions) {
        PerChannel c = channels.get(channel);
        if (c != null) {
            // No positions yet (the channel's tail is not assigned): every event will be live.
            c.start = positions == null ? new long[0] : positions.clone();
        }
    }

    /** @return false when the connection no longer takes events */
    boolean offer(ChannelEvent event) {
        PerChannel c = channels.get(event.channel());
        if (c == null || c.start == null || c.passThrough(outbox.congested())) {
            return outbox.enqueue(new StreamItem.Event(event));
        }
        return conflate(c, event);
    }

    /** @return false when the connection no longer takes events */
    boolean offer(EventBatch batch) {
        // A batch is one channel's events for one event loop; when nothing needs conflating it stays one write.
        PerChannel c = channels.get(batch.events().get(0).channel());
        if (c == null || c.start == null || c.passThrough(outbox.congested())) {
            return outbox.enqueue(new StreamItem.Events(batch));
        }
        for (ChannelEvent event : batch.events()) {
            if (!conflate(c, event)) {
                return false;
            }
        }
        return true;
    }

    private boolean conflate(PerChannel c, ChannelEvent event) {
        if (event.partition() < c.start.length && event.offset() < c.start[event.partition()]) {
            return true; // the replay or snapshot delivered it
        }
        c.tail = event.positionsAfter();
        if (!filter.accepts(event)) {
            return true;
        }
        KeyConflator<ChannelEvent> conflator = c.conflator();
        long now = nanoTime.getAsLong();
        long replacedBefore = conflator.replaced();
        if (event.value() == EventValue.ABSENT && event.key() != null) {
            // A tombstone ends every piece of state of its key; with a state field those are held under other keys
            // than the tombstone's own (which replaces its key's held event as any newer event does).
            String key = event.key();
            conflator.discardHeld(stateKey -> !stateKey.equals(key) && event.channel().isStateOf(stateKey, key));
        }
        KeyConflator.Decision decision = outbox.congested()
                ? conflator.hold(event.stateKey(), event.partition(), event.offset(), event, now)
                : conflator.offer(event.stateKey(), event.partition(), event.offset(), event, now);
        switch (decision) {
            case SEND -> {
                return outbox.enqueue(conflator.heldKeys() == 0 ? new StreamItem.Event(event)
                        : new StreamItem.Conflated(event, conflator.position(c.tail)));
            }
            case HELD -> {
                mayHold = true;
                if (conflator.replaced() > replacedBefore) {
                    metrics.conflated(event.channel());
                }
                if (!outbox.congested()) {
                    schedule(now); // congested: the queue draining releases it
                }
                return true;
            }
            default -> {
                // More distinct keys held back than allowed: even conflated, this client cannot keep up.
                outbox.overflow();
                return false;
            }
        }
    }

    /** Sends what may be sent now: what is due by rate, and, once the queue has room again, what congestion held. */
    void release() {
        if (outbox.congested()) {
            return; // the queue draining calls again
        }
        long now = nanoTime.getAsLong();
        for (PerChannel c : channels.values()) {
            // No more than the queue has room for before it is congested again: releasing every held key at once
            // could pass the queue's bound and cut off the very client conflation keeps.
            while (c.conflator != null && c.conflator.heldKeys() > 0 && !outbox.congested()) {
                List<KeyConflator.Release<ChannelEvent>> due = c.conflator.due(now, c.tail, outbox.roomBeforeCongested());
                if (due.isEmpty()) {
                    break;
                }
                for (KeyConflator.Release<ChannelEvent> release : due) {
                    if (!outbox.enqueue(new StreamItem.Conflated(release.item(), release.position()))) {
                        return;
                    }
                }
            }
        }
        mayHold = holding();
        if (!outbox.congested()) {
            schedule(now); // congested again: the queue draining releases the rest, no timer needed
        }
    }

    /** Whether events are held (under the monitor). */
    boolean holding() {
        for (PerChannel c : channels.values()) {
            if (c.conflator != null && c.conflator.heldKeys() > 0) {
                return true;
            }
        }
        return false;
    }

    /** Whether events may be held, without the monitor: the outbox's cue to call {@link #release} as it drains. */
    boolean mayHold() {
        return mayHold;
    }

    void close() {
        if (timer != null) {
            timer.dispose();
            timer = null;
        }
    }

    /** A timer for the earliest held event due by rate; congestion releases come from the outbox draining. */
    private void schedule(long now) {
        long next = Long.MAX_VALUE;
        for (PerChannel c : channels.values()) {
            if (c.conflator != null) {
                next = Math.min(next, c.conflator.nextDueNanos());
            }
        }
        if (next == Long.MAX_VALUE || (timer != null && !timer.isDisposed() && timerDueAt <= next)) {
            return;
        }
        if (timer != null) {
            timer.dispose();
        }
        timerDueAt = next;
        timer = timers.schedule(() -> loop.execute(() -> {
            synchronized (outbox) {
                timer = null;
                release();
            }
        }), Math.max(0, next - now), TimeUnit.NANOSECONDS);
    }

    /** One channel's conflation state. */
    private static final class PerChannel {
        final StreamOptions.Policy policy;
        KeyConflator<ChannelEvent> conflator; // created on first need
        long[] start; // null until the connection is live on this channel
        long[] tail;

        PerChannel(StreamOptions.Policy policy) {
            this.policy = policy;
        }

        /** Whether an event may go straight to the queue: no rate asked, not congested, nothing held. */
        boolean passThrough(boolean congested) {
            return policy.rate() == null && !congested && (conflator == null || conflator.heldKeys() == 0);
        }

        KeyConflator<ChannelEvent> conflator() {
            if (conflator == null) {
                // Without a rate only congestion holds events: an interval of 1 ns lets everything else through.
                long interval = policy.rate() == null ? 1 : policy.rate().intervalNanos();
                conflator = new KeyConflator<>(interval, policy.maxHeldKeys());
            }
            return conflator;
        }
    }
}
