package dev.ssebridge.bridge.status;

import dev.ssebridge.bridge.channel.Channel;
import dev.ssebridge.bridge.hub.ChannelHub;
import dev.ssebridge.bridge.hub.ChannelHubs;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.springframework.context.SmartLifecycle;
import reactor.core.Disposable;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Events per second of each channel over the last minute, from samples of the hubs' counters taken at a
 * fixed step: nothing is added to the per-event path.
 */
public final class ThroughputSampler implements SmartLifecycle {

    static final Duration WINDOW = Duration.ofMinutes(1);

    private record Sample(long nanos, long count) {
    }

    private final ChannelHubs hubs;
    private final Duration step;
    private final Map<String, Deque<Sample>> samples = new HashMap<>();
    private Scheduler scheduler;
    private Disposable task;

    /** @param step time between samples (the Kafka monitor's interval) */
    public ThroughputSampler(ChannelHubs hubs, Duration step) {
        this.hubs = hubs;
        this.step = step;
    }

    synchronized void sample() {
        long now = System.nanoTime();
        for (ChannelHub hub : hubs.all()) {
            Deque<Sample> deque = samples.computeIfAbsent(hub.channel().name(), k -> new ArrayDeque<>());
            deque.addLast(new Sample(now, hub.publishedCount()));
            while (deque.size() > 2 && now - deque.peekFirst().nanos() > WINDOW.toNanos()) {
                deque.removeFirst();
            }
        }
    }

    /** Events per second published on {@code channel} over (up to) the last minute. */
    public synchronized double eventsPerSecond(Channel channel) {
        Deque<Sample> deque = samples.get(channel.name());
        if (deque == null || deque.size() < 2) {
            return 0;
        }
        Sample first = deque.peekFirst();
        Sample last = deque.peekLast();
        double seconds = (last.nanos() - first.nanos()) / 1e9;
        return seconds <= 0 ? 0 : (last.count() - first.count()) / seconds;
    }

    @Override
    public synchronized void start() {
        scheduler = Schedulers.newSingle("throughput-sampler");
        task = scheduler.schedulePeriodically(this::sample, 0, step.toMillis(), TimeUnit.MILLISECONDS);
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
