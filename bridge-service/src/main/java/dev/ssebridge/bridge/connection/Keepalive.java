package dev.ssebridge.bridge.connection;

import dev.ssebridge.bridge.frame.SseFrames;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Keeps idle streams alive without bursts. A stream that wrote anything within the last ping interval gets no
 * {@code ping}; an idle one gets one every interval. The pings that remain are spread: after its last write, a stream's
 * first ping comes one interval plus a phase of its own (up to half an interval) later, so streams that wrote the same
 * event together do not ping together, and a stream is never silent for more than one and a half intervals (the
 * bound for proxies' idle timeouts and for noticing a dead connection, whose write fails). One timer pinging every
 * stream at once was a 19,000-write burst every 30 s colliding with live events, on streams that had just carried
 * one.
 *
 * <p>Time here is counted in ticks, {@value #TICKS_PER_INTERVAL} per interval (one scan of the open connections per
 * tick, on {@code sse-ping}): a connection's pipeline notes the tick of each write with one volatile read and at most
 * one write, instead of reading the clock per frame.
 */
final class Keepalive {

    /** Ticks per ping interval: the granularity of the phases and of the pings' timing (a twentieth of it). */
    static final int TICKS_PER_INTERVAL = 20;

    private final ConnectionRegistry registry;
    private final Clock clock;
    private volatile long tick;

    Keepalive(ConnectionRegistry registry, Clock clock) {
        this.registry = registry;
        this.clock = clock;
    }

    /** How often {@link #tick()} must run for a ping interval of {@code interval}: at least every millisecond. */
    static Duration tickPeriod(Duration interval) {
        return Duration.ofMillis(Math.max(1, interval.toMillis() / TICKS_PER_INTERVAL));
    }

    /** Any thread: the current tick, what a connection notes as the time of its last write. */
    long now() {
        return tick;
    }

    /** A new connection's phase: how many ticks after a whole interval its first ping after a write comes. */
    static int phase() {
        return ThreadLocalRandom.current().nextInt(TICKS_PER_INTERVAL / 2);
    }

    /**
     * {@code sse-ping}, at {@link #tickPeriod}: advances the tick and queues a ping on each stream that is due (the
     * ping's bytes are encoded once per tick, and only when one is due). A congested conflated stream that took
     * nothing for too long is ended instead of pinged (see {@link Outbox#offerPing}): it writes nothing, so its ping
     * comes due.
     */
    void tick() {
        long now = tick + 1;
        tick = now;
        StreamItem.Ping ping = null;
        for (Connection connection : registry.all()) {
            Outbox outbox = connection.outbox();
            if (outbox.pingDue(now)) {
                if (ping == null) {
                    ping = new StreamItem.Ping(SseFrames.controlEvent("ping", Map.of(), clock.instant()));
                }
                outbox.ping(now, ping);
            }
        }
    }
}
