package dev.ssebridge.bridge.status;

import dev.ssebridge.bridge.channel.Channel;
import dev.ssebridge.bridge.channel.Channels;
import dev.ssebridge.bridge.kafka.TailLifecycle;
import dev.ssebridge.bridge.kafka.TailState;
import dev.ssebridge.bridge.kafka.TailStatus;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * {@code schemaRegistry} in {@code /actuator/health}: DOWN while a channel's tail waits at a record whose schema
 * the registry does not give ({@code waiting_channels}, with since when and why); those channels deliver
 * nothing meanwhile and skip nothing. UP otherwise, also when no registry is configured ({@code configured}).
 */
final class SchemaRegistryHealthIndicator implements HealthIndicator {

    private final Channels channels;
    private final TailLifecycle tails;
    private final boolean configured;

    SchemaRegistryHealthIndicator(Channels channels, TailLifecycle tails, boolean configured) {
        this.channels = channels;
        this.tails = tails;
        this.configured = configured;
    }

    @Override
    public Health health() {
        Map<String, String> waiting = new TreeMap<>();
        for (Channel channel : channels.all()) {
            TailStatus tail = tails.status(channel);
            if (tail.state() == TailState.WAITING_FOR_SCHEMA_REGISTRY) {
                waiting.put(channel.name(), "since " + tail.since() + ": " + tail.reason());
            }
        }
        Health.Builder builder = waiting.isEmpty() ? Health.up() : Health.down().withDetail("waiting_channels", waiting);
        return builder.withDetail("configured", configured).build();
    }
}
