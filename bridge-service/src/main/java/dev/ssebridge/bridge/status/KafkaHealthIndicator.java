package dev.ssebridge.bridge.status;

import dev.ssebridge.bridge.kafka.KafkaMonitor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * {@code kafka} in {@code /actuator/health}: DOWN while the bridge cannot reach Kafka, with since when;
 * missing topics are listed but do not make it DOWN (the other channels still serve).
 */
final class KafkaHealthIndicator implements HealthIndicator {

    private final KafkaMonitor monitor;

    KafkaHealthIndicator(KafkaMonitor monitor) {
        this.monitor = monitor;
    }

    @Override
    public Health health() {
        KafkaMonitor.KafkaHealth state = monitor.health();
        if (state.lastCheck() == null) {
            return Health.unknown().withDetail("reason", "not checked yet").build();
        }
        Health.Builder builder = state.up() ? Health.up() : Health.down().withDetail("error", state.error());
        builder.withDetail(state.up() ? "up_since" : "down_since", state.since().toString())
                .withDetail("last_check", state.lastCheck().toString());
        if (!monitor.missingTopics().isEmpty()) {
            builder.withDetail("missing_topics", monitor.missingTopics());
        }
        return builder.build();
    }
}
