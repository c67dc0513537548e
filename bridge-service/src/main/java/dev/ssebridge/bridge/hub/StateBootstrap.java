package dev.ssebridge.bridge.hub;

import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * Whether a channel's state holds what its topic had when the tail started. The tail of a channel that keeps state
 * reads the topic from its beginning; until it reaches the end offsets of that moment, what it reads is history:
 * live subscribers start at those end offsets ({@link #live}), and snapshots wait for {@link #whenReady}.
 *
 * <p>Threads: {@link #begin}, {@link #check} and {@link #live} are called under the hub's lock (their positions are
 * the hub's); {@link #announce} outside it, right after, so that whatever waits for the state (a snapshot
 * subscribing to the hub, which takes the lock) never runs inside the hub's critical section; {@link #whenReady} and
 * {@link #inProgress} on any thread.
 */
final class StateBootstrap {

    private long[] end; // guarded by the hub's lock; set while the tail reads what was there at start
    private long historyBefore; // guarded by the hub's lock
    // The consumer's and the hub's positions at the previous consumer check; guarded by the hub's lock.
    private long[] lastConsumer;
    private long[] lastHub;
    private volatile boolean reached;
    private final Sinks.One<Boolean> ready = Sinks.one();

    /** @param keepsState false: a channel without state has nothing to wait for, and is ready at once */
    StateBootstrap(boolean keepsState) {
        if (!keepsState) {
            reached = true;
            ready.tryEmitValue(true);
        }
    }

    /**
     * Under the hub's lock: the tail starts reading at the topic's beginning, whose end offsets were {@code ends};
     * records below them written before {@code historyBefore} (epoch millis: the bridge's start) are history.
     */
    void begin(long[] ends, long[] positions, long historyBefore) {
        end = ends.clone();
        this.historyBefore = historyBefore;
        check(positions);
    }

    /**
     * Under the hub's lock: the tail stands at {@code positions} (the hub's, or its consumer's, which also count offsets
     * no record is delivered for: transaction markers, records compacted away at the end). Ends the bootstrap once
     * every partition is at or past its end offset.
     */
    void check(long[] positions) {
        if (end == null || positions == null) {
            return;
        }
        for (int p = 0; p < end.length; p++) {
            if ((p < positions.length ? positions[p] : 0) < end[p]) {
                return;
            }
        }
        end = null;
        reached = true;
    }

    /** Under the hub's lock: the bootstrap is over whatever it read (the topic was re-created: its ends meant the old one). */
    void end() {
        end = null;
        lastConsumer = null;
        lastHub = null;
        reached = true;
    }

    /**
     * Under the hub's lock: the tail's consumer stands at {@code consumer}, the hub at {@code hub}. The consumer's
     * positions count offsets no record is delivered for (transaction markers, records compacted away at the end), so
     * they may end the bootstrap where the hub's cannot; but they run ahead of the hub by what the consumer fetched
     * and the tail has not published yet. Taken only when neither moved since the previous check (a second apart):
     * nothing was in flight then, and the gap is offsets without records.
     */
    void checkConsumer(long[] consumer, long[] hub) {
        boolean settled = java.util.Arrays.equals(consumer, lastConsumer) && java.util.Arrays.equals(hub, lastHub);
        lastConsumer = consumer.clone();
        lastHub = hub == null ? null : hub.clone();
        if (settled) {
            check(consumer);
        }
    }

    /** Outside the hub's lock, after {@link #begin} or {@link #check}: tells the waiters once the bootstrap is over. */
    void announce() {
        if (reached) {
            ready.tryEmitValue(true); // fails harmlessly once emitted
        }
    }

    /** Under the hub's lock: where live events start, the tail's {@code next} lifted past what it reads at start-up. */
    long[] live(long[] next) {
        long[] live = next.clone();
        if (end != null) {
            for (int p = 0; p < Math.min(live.length, end.length); p++) {
                live[p] = Math.max(live[p], end[p]);
            }
        }
        return live;
    }

    /** Under the hub's lock: whether the record at {@code offset} of {@code partition}, written at {@code timestamp}, is history. */
    boolean isHistory(int partition, long offset, long timestamp) {
        return end != null && partition < end.length && offset < end[partition] && timestamp < historyBefore;
    }

    /** Any thread: whether the bootstrap is over (or there was none). */
    boolean over() {
        return reached;
    }

    /** Under the hub's lock: whether the tail still reads what the topic held at start. */
    boolean inProgress() {
        return end != null;
    }

    /** Completes once the state holds everything the topic had when the tail started (at once without state). */
    Mono<Boolean> whenReady() {
        return ready.asMono();
    }
}
