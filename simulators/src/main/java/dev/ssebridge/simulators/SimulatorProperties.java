package dev.ssebridge.simulators;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings under {@code simulators.*}.
 *
 * @param bootstrapServers Kafka to write to
 * @param trainingTopic    topic of training progress
 * @param interval         time between two events
 */
@ConfigurationProperties("simulators")
public record SimulatorProperties(
        @DefaultValue("localhost:9092") String bootstrapServers,
        @DefaultValue("mystocks.training.progress") String trainingTopic,
        @DefaultValue("1s") Duration interval) {
}
