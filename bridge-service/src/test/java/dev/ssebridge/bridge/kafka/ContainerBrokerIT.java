package dev.ssebridge.bridge.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ssebridge.bridge.support.BridgeFixture;
import dev.ssebridge.bridge.support.SseClient;
import dev.ssebridge.testsupport.ContainerKafkaBroker;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * The bridge against the official apache/kafka image run by Testcontainers: the path users with Docker
 * get. Skipped, cleanly, where no Docker engine runs (as on the project's CI machines, which use the
 * in-process broker instead).
 */
@Testcontainers(disabledWithoutDocker = true)
class ContainerBrokerIT {

    @RegisterExtension
    static final BridgeFixture fixture = BridgeFixture.withPartitions(3).onOwnBroker(ContainerKafkaBroker::start);

    @Test
    void streamsRecordsFromTheContainerBroker() {
        try (SseClient client = fixture.bridge().connect("/api/v1/sse/training")) {
            client.awaitConnected();
            fixture.producer().send(new ProducerRecord<>(fixture.topic("training"),
                    "task-1".getBytes(StandardCharsets.UTF_8),
                    "{\"task_id\":\"task-1\",\"progress\":1}".getBytes(StandardCharsets.UTF_8)));

            SseClient.Received event = client.awaitNamed("training_progress", 1, Duration.ofSeconds(30)).get(0);
            assertThat(event.payload().get("task_id").asString()).isEqualTo("task-1");
        }
    }
}
