package dev.ssebridge.bridge.kafka;

import dev.ssebridge.bridge.channel.Channel;
import dev.ssebridge.bridge.hub.ChannelHub;
import dev.ssebridge.bridge.hub.ChannelHubs;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.context.SmartLifecycle;

/**
 * Starts one {@link TopicTail} per channel when the application starts and closes them (and their
 * Kafka consumers) when it stops: the consumers live exactly as long as the application context.
 */
public final class TailLifecycle implements SmartLifecycle {

    /** Stops after the streams have been ended and the web server has drained. */
    public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

    private final ChannelHubs hubs;
    private final TailFactory factory;
    private final Clock clock;
    private final Map<String, TopicTail> tails = new ConcurrentHashMap<>();
    private volatile boolean running;

    TailLifecycle(ChannelHubs hubs, TailFactory factory) {
        this.hubs = hubs;
        this.factory = factory;
        this.clock = factory.clock();
    }

    /** What the channel's tail is doing; starting until the tails run. */
    public TailStatus status(Channel channel) {
        TopicTail tail = tails.get(channel.name());
        return tail == null ? new TailStatus(TailState.STARTING, clock.instant(), null) : tail.status();
    }

    /** Which topic the channel's tail reads, and whether it found it re-created. */
    public TopicIdentity topic(Channel channel) {
        TopicTail tail = tails.get(channel.name());
        return tail == null ? TopicIdentity.UNKNOWN : tail.topic();
    }

    /** The channel's tail, or null before the tails run. */
    TopicTail tail(Channel channel) {
        return tails.get(channel.name());
    }

    @Override
    public synchronized void start() {
        for (ChannelHub hub : hubs.all()) {
            TopicTail tail = factory.tail(hub.channel(), hub);
            tails.put(hub.channel().name(), tail);
            tail.start();
        }
        running = true;
    }

    @Override
    public synchronized void stop() {
        tails.values().forEach(TopicTail::stop);
        tails.clear();
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }
}
