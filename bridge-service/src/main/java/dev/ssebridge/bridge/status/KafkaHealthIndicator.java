package dev.ssebridge.bridge.status;

import dev.ssebridge.bridge.channel.Channel;
import dev.ssebridge.bridge.channel.Channels;
import dev.ssebridge.bridge.kafka.KafkaMonitor;
import dev.ssebridge.bridge.kafka.TailLifecycle;
import dev.ssebridge.bridge.kafka.TailState;
import dev.ssebridge.bridge.kafka.TailStatus;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * {@code kafka} in {@code /actuator/health}: DOWN while the bridge cannot reach Kafka, with since when, and
 * while a channel's tail has failed for good (refused credentials or ACLs: {@code failed_channels}, with the
 * reason); missing topics are listed but do not make it DOWN (the other channels still serve). With several clusters,
 * DOWN while any does not answer, and {@code clusters} says which: each one's status, since when, and its error.
 */
final class KafkaHealthIndicator implements HealthIndicator {

    private final KafkaMonitor monitor;
    private final Channels channels;
    private final TailLifecycle tails;

    KafkaHealthIndicator(KafkaMonitor monitor, Channels channels, TailLifecycle tails) {
        this.monitor = monitor;
        this.channels = channels;
        this.tails = tails;
    }

    @Override
    public Health health() {
        KafkaMonitor.KafkaHealth state = monitor.health();
        Map<String, String> failed = new TreeMap<>();
        for (Channel channel : channels.all()) {
            TailStatus tail = tails.status(channel);
            if (tail.state() == TailState.FAILED) {
                failed.put(channel.name(), tail.reason());
            }
        }
        if (state.lastCheck() == null && failed.isEmpty()) {
            return Health.unknown().withDetail("reason", "not checked yet").build();
        }
        Health.Builder builder = state.up() && failed.isEmpty() ? Health.up() : Health.down();
        if (!state.up() && state.error() != null) {
            builder.withDetail("error", state.error());
        }
        if (state.refused()) {
            builder.withDetail("next_attempt", state.nextAttempt().toString());
        }
        if (!failed.isEmpty()) {
            builder.withDetail("failed_channels", failed);
        }
        if (state.lastCheck() == null) {
            return builder.build();
        }
        builder.withDetail(state.up() ? "up_since" : "down_since", state.since().toString())
                .withDetail("last_check", state.lastCheck().toString());
        if (!monitor.missingTopics().isEmpty()) {
            builder.withDetail("missing_topics", monitor.missingTopics());
        }
        if (monitor.clusters().size() > 1) {
            Map<String, Map<String, String>> clusters = new TreeMap<>();
            for (String name : monitor.clusters()) {
                KafkaMonitor.KafkaHealth one = monitor.health(name);
                Map<String, String> details = new java.util.LinkedHashMap<>();
                details.put("status", one.refused() ? "REFUSED" : one.lastCheck() == null ? "UNKNOWN"
                        : one.up() ? "UP" : "DOWN");
                details.put(one.up() ? "up_since" : "down_since", one.since().toString());
                if (one.error() != null) {
                    details.put("error", one.error());
                }
                clusters.put(name, details);
            }
            builder.withDetail("clusters", clusters);
        }
        return builder.build();
    }
}
