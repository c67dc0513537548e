package dev.ssebridge.bridge.status;

import dev.ssebridge.bridge.channel.Channel;
import dev.ssebridge.bridge.hub.ChannelHub;
import dev.ssebridge.bridge.hub.ChannelHubs;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * Events per second of each channel over the last minute, from samples of the hubs' counters taken at a
 * fixed step: nothing is added to the per-event path.
 */
final class ThroughputSampler {

    static final java.time.Duration WINDOW = java.time.Duration.ofMinutes(1);

    private record Sample(long nanos, long count) {
    }

    private final ChannelHubs hubs;
    private final Map<String, Deque<Sample>> samples = new HashMap<>();

    ThroughputSampler(ChannelHubs hubs) {
        this.hubs = hubs;
    }

    /** Takes one sample of every channel; a {@code PeriodicTask} calls it at a fixed step. */
    public synchronized void sample() {
        long now = System.nanoTime();
        for (ChannelHub hub : hubs.all()) {
            Deque<Sample> deque = samples.computeIfAbsent(hub.channel().name(), k -> new ArrayDeque<>());
            deque.addLast(new Sample(now, hub.counters().publishedCount()));
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
}
