package dev.ssebridge.bridge.connection;

import dev.ssebridge.bridge.frame.SseFrames;
import java.time.Clock;
import java.util.Map;

/**
 * Sends a {@code ping} event on every open stream at a fixed interval, so proxies keep idle streams
 * open and dead connections are noticed. One timer for all connections; the ping's bytes are encoded
 * once per tick.
 */
final class PingTicker {

    private final ConnectionRegistry registry;
    private final Clock clock;

    PingTicker(ConnectionRegistry registry, Clock clock) {
        this.registry = registry;
        this.clock = clock;
    }

    /** Queues one ping on every open stream; a {@code PeriodicTask} calls it at the ping interval. */
    public void tick() {
        StreamItem.Ping ping = new StreamItem.Ping(SseFrames.controlEvent("ping", Map.of(), clock.instant()));
        for (Connection connection : registry.all()) {
            connection.outbox().offerPing(ping);
        }
    }
}
