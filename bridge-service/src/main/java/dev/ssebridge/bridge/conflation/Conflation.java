package dev.ssebridge.bridge.conflation;

import dev.ssebridge.bridge.channel.Channel;
import dev.ssebridge.bridge.hub.ChannelEvent;
import dev.ssebridge.bridge.hub.EventBatch;
import dev.ssebridge.bridge.where.EventValue;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import reactor.core.Disposable;
import reactor.core.scheduler.Scheduler;

/**
 * Conflation of one connection's live events, between the hub's fan-out and the connection's bounded queue
 * ({@link ConflatedQueue}, its outbox): per channel that allows it, at most {@code max_rate} events per second per
 * piece of state when the client asked for a rate (or the channel has a default), and, whatever the rate, only the
 * latest value of each piece of state while the queue is half full (its client reads slower than the channel
 * writes). Held events replace each other instead of queueing, so such a client gets the latest state instead of
 * being cut off ({@code fell_behind}).
 * Keys are never merged; events without a key are never held; the {@code id:} rule is {@link KeyConflator}'s.
 *
 * <p>Filters apply before conflation (an event the client does not want must not replace one it does).
 *
 * <p>Threads: every method runs under the queue's monitor: offers come from the fan-out on the connection's event
 * loop, releases from the queue draining and from a timer (on Reactor's {@code parallel} scheduler, handed to the
 * event loop, then {@link ConflatedQueue#runLocked}), so the conflators need no locking of their own.
 */
public final class Conflation {

    private final Map<Channel, PerChannel> channels = new HashMap<>();
    private final Predicate<ChannelEvent> filter;
    private final Executor loop;
    private final Scheduler timers;
    private final LongSupplier nanoTime;
    private final Consumer<Channel> onReplaced;
    private ConflatedQueue queue;
    private Disposable timer;
    private long timerDueAt;
    /** The stream ended: a timer already handed to the event loop releases nothing and arms no other. */
    private boolean closed;
    /** Whether any event is held; read without the monitor by the queue as it drains (a stale true costs a check). */
    private volatile boolean mayHold;

    /**
     * @param filter     the connection's filters: applied before conflation
     * @param loop       the connection's event loop, where timer releases run
     * @param timers     where release timers wait
     * @param onReplaced told of each event a newer value of its key replaced while held (a metric)
     */
    public Conflation(Map<Channel, ConflationPolicy> policies, Predicate<ChannelEvent> filter, Executor loop,
                      Scheduler timers, LongSupplier nanoTime, Consumer<Channel> onReplaced) {
        policies.forEach((channel, policy) -> channels.put(channel, new PerChannel(policy)));
        this.filter = filter;
        this.loop = loop;
        this.timers = timers;
        this.nanoTime = nanoTime;
        this.onReplaced = onReplaced;
    }

    /** The queue this conflation feeds; called once, before any offer. */
    public void attach(ConflatedQueue queue) {
        this.queue = queue;
    }

    /**
     * The connection takes live events of {@code channel} from {@code positions} on (what is below came with its
     * replay or snapshot); null when the channel has no positions yet. Until then its events pass unconflated.
     */
    public void live(Channel channel, long[] positions) {
        PerChannel c = channels.get(channel);
        if (c != null) {
            // No positions yet (the channel's tail is not assigned): every event will be live.
            c.start = positions == null ? new long[0] : positions.clone();
        }
    }

    /** @return false when the connection no longer takes events */
    public boolean offer(ChannelEvent event) {
        PerChannel c = channels.get(event.channel());
        if (c == null || c.start == null || c.passThrough(queue.congested())) {
            return queue.send(event);
        }
        return conflate(c, event);
    }

    /** @return false when the connection no longer takes events */
    public boolean offer(EventBatch batch) {
        // A batch is one channel's events for one event loop; when nothing needs conflating it stays one write.
        PerChannel c = channels.get(batch.events().get(0).channel());
        if (c == null || c.start == null || c.passThrough(queue.congested())) {
            return queue.send(batch);
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
        if (!filter.test(event)) {
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
        KeyConflator.Decision decision = queue.congested()
                ? conflator.hold(event.stateKey(), event.partition(), event.offset(), event, now)
                : conflator.offer(event.stateKey(), event.partition(), event.offset(), event, now);
        switch (decision) {
            case SEND -> {
                return conflator.heldKeys() == 0 ? queue.send(event)
                        : queue.sendConflated(event, conflator.position(c.tail));
            }
            case HELD -> {
                mayHold = true;
                if (conflator.replaced() > replacedBefore) {
                    onReplaced.accept(event.channel());
                }
                if (!queue.congested()) {
                    schedule(now); // congested: the queue draining releases it
                }
                return true;
            }
            default -> {
                // More distinct keys held back than allowed: even conflated, this client cannot keep up.
                queue.overflow();
                return false;
            }
        }
    }

    /** Sends what may be sent now: what is due by rate, and, once the queue has room again, what congestion held. */
    public void release() {
        if (queue.congested()) {
            return; // the queue draining calls again
        }
        long now = nanoTime.getAsLong();
        for (PerChannel c : channels.values()) {
            // No more than the queue has room for before it is congested again: releasing every held key at once
            // could pass the queue's bound and cut off the very client conflation keeps.
            while (c.conflator != null && c.conflator.heldKeys() > 0 && !queue.congested()) {
                List<KeyConflator.Release<ChannelEvent>> due = c.conflator.due(now, c.tail, queue.roomBeforeCongested());
                if (due.isEmpty()) {
                    break;
                }
                for (KeyConflator.Release<ChannelEvent> release : due) {
                    if (!queue.sendConflated(release.item(), release.position())) {
                        return;
                    }
                }
            }
        }
        mayHold = holding();
        if (!queue.congested()) {
            schedule(now); // congested again: the queue draining releases the rest, no timer needed
        }
    }

    /** Whether events are held (under the monitor). */
    public boolean holding() {
        for (PerChannel c : channels.values()) {
            if (c.conflator != null && c.conflator.heldKeys() > 0) {
                return true;
            }
        }
        return false;
    }

    /** Whether events may be held, without the monitor: the queue's cue to call {@link #release} as it drains. */
    public boolean mayHold() {
        return mayHold;
    }

    /** The stream ends: no timer is left behind. */
    public void close() {
        closed = true;
        if (timer != null) {
            timer.dispose();
            timer = null;
        }
    }

    /** A timer for the earliest held event due by rate; congestion releases come from the queue draining. */
    private void schedule(long now) {
        if (closed) {
            return;
        }
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
        timer = timers.schedule(() -> loop.execute(() -> queue.runLocked(() -> {
            timer = null;
            if (!closed) {
                release();
            }
        })), Math.max(0, next - now), TimeUnit.NANOSECONDS);
    }

    /** One channel's conflation state. */
    private static final class PerChannel {
        final ConflationPolicy policy;
        KeyConflator<ChannelEvent> conflator; // created on first need
        long[] start; // null until the connection is live on this channel
        long[] tail;

        PerChannel(ConflationPolicy policy) {
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
