package dev.ssebridge.simulators;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ssebridge.schemas.EventType;
import dev.ssebridge.schemas.EventValidator;
import dev.ssebridge.testsupport.TestKafka;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class SimulatorsIT {

    private static final Map<EventType, String> TOPICS = Map.of(
            EventType.TRAINING_PROGRESS, "mystocks.training.progress",
            EventType.BACKTEST_PROGRESS, "mystocks.backtest.progress",
            EventType.RISK_ALERT, "mystocks.risk.alerts",
            EventType.DASHBOARD_UPDATE, "mystocks.portfolio.updates");
    private static final Map<EventType, String> KEY_FIELDS = Map.of(
            EventType.TRAINING_PROGRESS, "/task_id",
            EventType.BACKTEST_PROGRESS, "/backtest_id",
            EventType.RISK_ALERT, "/entity_id",
            EventType.DASHBOARD_UPDATE, "/portfolio_id");

    @Test
    void withoutBootstrapServersAnEmbeddedBrokerCarriesAllFourStreams() throws IOException {
        int port = freePort();
        String bootstrap = "127.0.0.1:" + port;
        try (ConfigurableApplicationContext app = run("--simulators.embedded.port=" + port,
                "--simulators.embedded.controller-port=" + freePort())) {
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
                var topics = admin.describeTopics(TOPICS.values()).allTopicNames().toCompletionStage()
                        .toCompletableFuture().join();
                topics.values().forEach(t -> assertThat(t.partitions()).hasSize(3));
            }
            checkStreams(bootstrap);
        }
        // Closed with the application: nothing listens any more.
        assertThat(portIsFree(port)).isTrue();
    }

    @Test
    void withBootstrapServersItWritesToThatCluster() {
        String bootstrap = TestKafka.bootstrapServers();
        try (ConfigurableApplicationContext app = run("--bootstrap-servers=" + bootstrap)) {
            checkStreams(bootstrap);
        }
    }

    private static ConfigurableApplicationContext run(String... extra) {
        List<String> args = new ArrayList<>(List.of("--seed=99",
                "--simulators.training.interval=50ms", "--simulators.backtest.interval=50ms",
                "--simulators.risk.interval=20ms", "--simulators.portfolio.interval=50ms"));
        args.addAll(List.of(extra));
        return new SpringApplicationBuilder(SimulatorsApplication.class).run(args.toArray(String[]::new));
    }

    /** Every stream has records keyed by entity id, with ce_type, valid against its schema. */
    private static void checkStreams(String bootstrap) {
        EventValidator validator = new EventValidator();
        JsonMapper json = JsonMapper.builder().build();
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (var consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            TOPICS.values().forEach(t -> {
                for (int p = 0; p < 3; p++) {
                    partitions.add(new TopicPartition(t, p));
                }
            });
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<EventType, Integer> seen = new HashMap<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (seen.size() < 4 || seen.values().stream().anyMatch(n -> n < 20)) {
                assertThat(System.nanoTime()).as("records of every stream within 60 s: %s", seen).isLessThan(deadline);
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    EventType type = EventType.byEventName(
                            new String(record.headers().lastHeader("ce_type").value(), StandardCharsets.UTF_8)).orElseThrow();
                    assertThat(TOPICS.get(type)).isEqualTo(record.topic());
                    String value = new String(record.value(), StandardCharsets.UTF_8);
                    assertThat(validator.validatePayload(type, value)).as(value).isEmpty();
                    JsonNode node = json.readTree(value);
                    assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo(node.at(KEY_FIELDS.get(type)).asString());
                    seen.merge(type, 1, Integer::sum);
                }
            }
            assertThat(seen.keySet()).isEqualTo(Set.of(EventType.values()));
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static boolean portIsFree(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
