package dev.ssebridge.bridge.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ssebridge.bridge.BridgeApplication;
import dev.ssebridge.bridge.support.SseClient;
import dev.ssebridge.testsupport.ContainerKafkaBroker;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.web.reactive.function.client.WebClient;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;

/**
 * The bridge against the official apache/kafka image run by Testcontainers: the path users with Docker
 * get. Skipped, cleanly, where no Docker engine runs (as on the project's CI machines, which use the
 * in-process broker instead).
 */
@Testcontainers(disabledWithoutDocker = true)
class ContainerBrokerIT {

    @Container
    static final KafkaContainer KAFKA = new KafkaContainer(ContainerKafkaBroker.IMAGE);

    @Test
    void streamsRecordsFromTheContainerBroker() throws Exception {
        String topic = "tc.training.progress";
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", KAFKA.getBootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topic, 3, (short) 1))).all().get();
        }
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(BridgeApplication.class).run(
                "--server.port=0",
                "--bridge.kafka.bootstrap-servers=" + KAFKA.getBootstrapServers(),
                "--bridge.channels.training.topic=" + topic);
             var producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers", KAFKA.getBootstrapServers()),
                     new ByteArraySerializer(), new ByteArraySerializer())) {
            int port = ((WebServerApplicationContext) context).getWebServer().getPort();
            try (SseClient client = SseClient.connect(WebClient.create("http://localhost:" + port),
                    "/api/v1/sse/training", Map.of())) {
                client.awaitConnected();
                producer.send(new ProducerRecord<>(topic, "task-1".getBytes(StandardCharsets.UTF_8),
                        "{\"task_id\":\"task-1\",\"progress\":1}".getBytes(StandardCharsets.UTF_8))).get();

                SseClient.Received event = client.awaitNamed("training_progress", 1, Duration.ofSeconds(30)).get(0);
                assertThat(event.payload().get("task_id").asString()).isEqualTo("task-1");
            }
        }
    }
}
