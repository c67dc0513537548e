package dev.ssebridge.bridge.kafka;

import dev.ssebridge.bridge.channel.Channel;
import dev.ssebridge.bridge.frame.RecordDecoders;
import dev.ssebridge.bridge.hub.ChannelHub;
import dev.ssebridge.bridge.hub.ChannelHubs;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.springframework.context.SmartLifecycle;

/**
 * Starts one {@link TopicTail} per channel when the application starts and closes them (and their
 * Kafka consumers) when it stops: the consumers live exactly as long as the application context.
 */
public final class TailLifecycle implements SmartLifecycle {

    /** Stops after the streams have been ended and the web server has drained. */
    public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

    private final ChannelHubs hubs;
    private final KafkaClients clients;
    private final Admin admin;
    private final RecordDecoders decoders;
    private final Duration retryInterval;
    private final Clock clock;
    private final Predicate<Channel> keepsHeaders;
    private final Map<String, TopicTail> tails = new ConcurrentHashMap<>();
    private volatile boolean running;

    TailLifecycle(ChannelHubs hubs, KafkaClients clients, Admin admin, RecordDecoders decoders,
                  Duration retryInterval, Clock clock, Predicate<Channel> keepsHeaders) {
        this.keepsHeaders = keepsHeaders;
        this.hubs = hubs;
        this.clients = clients;
        this.admin = admin;
        this.decoders = decoders;
        this.retryInterval = retryInterval;
        this.clock = clock;
    }

    /** What the channel's tail is doing; starting until the tails run. */
    public TailStatus status(Channel channel) {
        TopicTail tail = tails.get(channel.name());
        return tail == null ? new TailStatus(TailState.STARTING, clock.instant(), null) : tail.status();
    }

    @Override
    public synchronized void start() {
        for (ChannelHub hub : hubs.all()) {
            TopicTail tail = new TopicTail(hub.channel(), hub, clients, admin, decoders.of(hub.channel()), retryInterval,
                    clock, keepsHeaders.test(hub.channel()));
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
