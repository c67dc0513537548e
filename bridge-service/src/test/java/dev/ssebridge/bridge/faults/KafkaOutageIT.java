package dev.ssebridge.bridge.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ssebridge.bridge.support.BridgeFixture;
import dev.ssebridge.bridge.support.RunningBridge;
import dev.ssebridge.bridge.support.SseClient;
import dev.ssebridge.testsupport.InProcessKafkaBroker;
import dev.ssebridge.testsupport.TestProducer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Kafka stops for 30 s mid-stream and comes back: streams stay open with pings, health and status say
 * Kafka is down and since when, a client connecting during the outage gets a stream, and when Kafka
 * returns every client receives every record, before and after, exactly once.
 */
class KafkaOutageIT {

    private static final Duration OUTAGE = Duration.ofSeconds(30);
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** On a broker of its own, which the test stops. */
    @RegisterExtension
    final BridgeFixture fixture = BridgeFixture.withPartitions(3).onOwnBroker(InProcessKafkaBroker::start)
            .settings(Map.of("bridge.stream.ping-interval", "1s"))
            // Sends during the outage may wait for metadata until Kafka is back: longer than the default.
            .producerSettings(Map.of("max.block.ms", 180_000, "delivery.timeout.ms", 180_000));

    @Test
    void streamsSurviveAKafkaOutageAndLoseNothing() throws Exception {
        InProcessKafkaBroker kafka = (InProcessKafkaBroker) fixture.broker();
        RunningBridge bridge = fixture.bridge();
        TestProducer producer = fixture.producer();
        String training = fixture.topic("training");
        try (SseClient single = bridge.connect("/api/v1/sse/training");
             SseClient multi = bridge.connect("/api/v1/sse/stream?channels=training,alerts")) {
            single.awaitConnected();
            multi.awaitConnected();
            for (int seq = 0; seq < 20; seq++) {
                producer.send(training, "k" + seq, "{\"seq\":" + seq + "}");
            }
            single.awaitNamed("training_progress", 20, WAIT);
            multi.awaitNamed("training_progress", 20, WAIT);

            Instant stoppedAt = Instant.now();
            kafka.stopBroker();

            await().atMost(WAIT).until(() -> "DOWN".equals(kafkaHealth(bridge).get("status").asString()));
            JsonNode health = kafkaHealth(bridge);
            assertThat(Instant.parse(health.at("/details/down_since").asString())).isAfter(stoppedAt.minusSeconds(1));
            JsonNode status = JSON.readTree(bridge.get("/api/v1/sse/status"));
            assertThat(status.at("/kafka/status").asString()).isEqualTo("down");
            assertThat(status.at("/kafka/since").asString()).isEqualTo(health.at("/details/down_since").asString());

            // A client connecting now gets a stream, not an error.
            SseClient duringOutage = bridge.connect("/api/v1/sse/training");
            duringOutage.awaitConnected();
            // Records sent now wait in the producer until Kafka is back. A send blocks while the
            // producer has no metadata for the topic (the stopping broker may have told it so), hence
            // a thread of its own.
            CompletableFuture<Void> buffered = CompletableFuture.runAsync(() -> {
                for (int seq = 20; seq < 30; seq++) {
                    producer.send(training, "k" + seq, "{\"seq\":" + seq + "}", Duration.ofSeconds(180));
                }
            });
            int pingsBefore = single.named("ping").size();
            // The outage lasts 30 s, and open streams keep getting pings through it.
            await().atMost(OUTAGE.plus(WAIT)).until(() -> Duration.between(stoppedAt, Instant.now()).compareTo(OUTAGE) >= 0
                    && single.named("ping").size() - pingsBefore >= 10
                    && multi.named("ping").size() >= 10 && duringOutage.named("ping").size() >= 5);
            for (SseClient client : List.of(single, multi, duringOutage)) {
                assertThat(client.isCompleted()).isFalse();
                assertThat(client.error()).isNull();
            }

            kafka.startBroker();

            buffered.get(120, TimeUnit.SECONDS);
            for (int seq = 30; seq < 50; seq++) {
                producer.send(training, "k" + seq, "{\"seq\":" + seq + "}");
            }
            single.awaitNamed("training_progress", 50, WAIT);
            multi.awaitNamed("training_progress", 50, WAIT);
            duringOutage.awaitNamed("training_progress", 30, WAIT);
            assertThat(single.seqs("training_progress")).containsExactlyInAnyOrderElementsOf(range(0, 50));
            assertThat(multi.seqs("training_progress")).containsExactlyInAnyOrderElementsOf(range(0, 50));
            assertThat(duringOutage.seqs("training_progress")).containsExactlyInAnyOrderElementsOf(range(20, 50));
            await().atMost(WAIT).until(() -> "UP".equals(kafkaHealth(bridge).get("status").asString()));
            duringOutage.close();
        }
    }

    private static List<Integer> range(int from, int to) {
        return IntStream.range(from, to).boxed().toList();
    }

    private static JsonNode kafkaHealth(RunningBridge bridge) {
        String body = bridge.webClient().get().uri("/actuator/health").exchangeToMono(r -> r.bodyToMono(String.class))
                .block(Duration.ofSeconds(30));
        return JSON.readTree(body).at("/components/kafka");
    }
}
