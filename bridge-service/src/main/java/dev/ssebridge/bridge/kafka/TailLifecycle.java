package dev.ssebridge.bridge.kafka;

import dev.ssebridge.bridge.config.BridgeProperties;
import dev.ssebridge.bridge.event.RecordDecoder;
import dev.ssebridge.bridge.hub.ChannelHub;
import dev.ssebridge.bridge.hub.ChannelHubs;
import java.util.ArrayList;
import java.util.List;
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
    private final BridgeProperties properties;
    private final List<TopicTail> tails = new ArrayList<>();
    private Admin admin;
    private volatile boolean running;

    public TailLifecycle(ChannelHubs hubs, KafkaClients clients, BridgeProperties properties) {
        this.hubs = hubs;
        this.clients = clients;
        this.properties = properties;
    }

    @Override
    public synchronized void start() {
        admin = clients.admin();
        int maxRecordBytes = (int) Math.min(Integer.MAX_VALUE, properties.kafka().maxRecordSize().toBytes());
        for (ChannelHub hub : hubs.all()) {
            RecordDecoder decoder = new RecordDecoder(hub.channel().eventName(), maxRecordBytes);
            TopicTail tail = new TopicTail(hub.channel(), hub, clients, admin, decoder,
                    properties.kafka().topicRetryInterval());
            tails.add(tail);
            tail.start();
        }
        running = true;
    }

    @Override
    public synchronized void stop() {
        tails.forEach(TopicTail::stop);
        tails.clear();
        if (admin != null) {
            admin.close();
            admin = null;
        }
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
