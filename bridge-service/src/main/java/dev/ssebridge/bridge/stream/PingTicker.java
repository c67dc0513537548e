package dev.ssebridge.bridge.stream;

import dev.ssebridge.bridge.event.SseFrames;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.springframework.context.SmartLifecycle;
import reactor.core.Disposable;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Sends a {@code ping} event on every open stream at a fixed interval, so proxies keep idle streams
 * open and dead connections are noticed. One timer for all connections; the ping's bytes are encoded
 * once per tick.
 */
public final class PingTicker implements SmartLifecycle {

    private final ConnectionRegistry registry;
    private final Duration interval;
    private final Clock clock;
    private Scheduler scheduler;
    private Disposable task;

    public PingTicker(ConnectionRegistry registry, Duration interval, Clock clock) {
        this.registry = registry;
        this.interval = interval;
        this.clock = clock;
    }

    @Override
    public synchronized void start() {
        scheduler = Schedulers.newSingle("sse-ping");
        long millis = interval.toMillis();
        task = scheduler.schedulePeriodically(this::tick, millis, millis, TimeUnit.MILLISECONDS);
    }

    private void tick() {
        byte[] ping = SseFrames.controlEvent("ping", Map.of(), clock.instant());
        for (Connection connection : registry.all()) {
            connection.outbox().offerPing(ping);
        }
    }

    @Override
    public synchronized void stop() {
        if (task != null) {
            task.dispose();
            scheduler.dispose();
            task = null;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return task != null;
    }
}
