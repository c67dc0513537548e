package dev.ssebridge.bridge.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ssebridge.bridge.support.BridgeFixture;
import dev.ssebridge.bridge.support.RunningBridge;
import dev.ssebridge.bridge.support.SseClient;
import dev.ssebridge.testsupport.InProcessKafkaBroker;
import dev.ssebridge.testsupport.TestProducer;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class OperationsIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    // Each test starts its bridge on the fixture it needs; a fixture makes its topics (or broker) only when used.
    @RegisterExtension
    final BridgeFixture fixture = BridgeFixture.withPartitions(1).startedByEachTest();
    @RegisterExtension
    final BridgeFixture threePartitions = BridgeFixture.withPartitions(3).startedByEachTest();
    /** On a broker of its own, which the test stops. */
    @RegisterExtension
    final BridgeFixture ownKafka = BridgeFixture.withPartitions(1).onOwnBroker(InProcessKafkaBroker::start)
            .startedByEachTest();

    @Test
    void statusAndMetricsFollowTheTraffic() {
        RunningBridge bridge = threePartitions.start(Map.of());
        TestProducer producer = threePartitions.producer();
        String topic = threePartitions.topic("training");
        try (SseClient single = bridge.connect("/api/v1/sse/training?client_id=one");
             SseClient multi = bridge.connect("/api/v1/sse/stream?channels=training,alerts&client_id=two")) {
            single.awaitConnected();
            multi.awaitConnected();
            for (int i = 0; i < 20; i++) {
                producer.send(topic, "task-" + i, "{\"n\":" + i + "}");
            }
            producer.send(topic, "task-x", "not json");
            single.awaitNamed("training_progress", 20, WAIT);
            multi.awaitNamed("training_progress", 20, WAIT);
            try (SseClient resumed = bridge.connect("/api/v1/sse/training?client_id=three",
                    Map.of("Last-Event-ID", single.named("training_progress").get(10).id()))) {
                resumed.awaitNamed("training_progress", 9, WAIT);
            }

            await().atMost(WAIT).untilAsserted(() -> {
                JsonNode training = JSON.readTree(bridge.get("/api/v1/sse/status")).at("/channels/training");
                assertThat(training.get("state").asString()).isEqualTo("reading");
                assertThat(training.get("connection_count").asInt()).isEqualTo(2);
                assertThat(training.get("partitions")).hasSize(3);
                long positions = 0;
                for (JsonNode p : training.get("partitions")) {
                    assertThat(p.get("end_offset").asLong()).isEqualTo(p.get("position").asLong());
                    assertThat(p.get("lag").asLong()).isZero();
                    positions += p.get("position").asLong();
                }
                assertThat(positions).isEqualTo(21);
                assertThat(training.get("lag").asLong()).isZero();
                assertThat(training.get("events_per_second").asDouble()).isPositive();
                assertThat(training.at("/skipped_records/invalid_json").asLong()).isEqualTo(1);
                assertThat(training.at("/replays/ring").asLong()).isEqualTo(1);
            });
            JsonNode status = JSON.readTree(bridge.get("/api/v1/sse/status"));
            assertThat(status.at("/kafka/status").asString()).isEqualTo("up");

            await().atMost(WAIT).untilAsserted(() -> {
                assertThat(bridge.metric("ssebridge_events_delivered_total", "channel=\"training\"")).isGreaterThanOrEqualTo(49);
                assertThat(bridge.metric("ssebridge_delivery_latency_seconds_count", "channel=\"training\"")).isGreaterThanOrEqualTo(40);
                assertThat(bridge.metric("ssebridge_connections", "channel=\"training\"")).isEqualTo(2);
                assertThat(bridge.metric("ssebridge_connections", "channel=\"alerts\"")).isEqualTo(1);
                assertThat(bridge.metric("ssebridge_replays_total", "channel=\"training\",source=\"ring\"")).isEqualTo(1);
                assertThat(bridge.metric("ssebridge_records_skipped_total", "channel=\"training\",reason=\"invalid_json\"")).isEqualTo(1);
                assertThat(bridge.metric("ssebridge_consumer_lag", "channel=\"training\"")).isZero();
                assertThat(bridge.metric("ssebridge_kafka_up", "")).isEqualTo(1);
                assertThat(bridge.metric("ssebridge_bytes_written_total", "")).isPositive();
                assertThat(bridge.metric("process_memory_resident_bytes", "")).isGreaterThan(10e6);
            });
            assertThat(bridge.get("/actuator/prometheus")).contains("ssebridge_delivery_latency_seconds_bucket");
        }
    }

    @Test
    void aClientThatStopsReadingIsEndedAndCountedWhileOthersCarryOn() throws Exception {
        // A channel where every event must arrive: the stuck client is cut off (with conflation it would be held).
        RunningBridge bridge = fixture.start(Map.of("bridge.stream.max-pending-events", "20",
                "bridge.channels.training.conflation.allowed", "false"));
        TestProducer producer = fixture.producer();
        try (SseClient reader = bridge.connect("/api/v1/sse/training");
             Socket stuck = stuckClient(bridge, reader)) {
            byte[] value = ("{\"pad\":\"" + "x".repeat(8000) + "\"}").getBytes();
            for (int i = 0; i < 1500; i++) {
                producer.sendAsync(fixture.topic("training"), "k", value);
            }
            producer.flush();

            reader.awaitNamed("training_progress", 1500, WAIT);
            await().atMost(WAIT).until(() -> bridge.metric("ssebridge_overflow_disconnects_total", "") >= 1);
            await().atMost(WAIT).until(() -> bridge.bean(dev.ssebridge.bridge.connection.ConnectionRegistry.class).count() == 1);
            assertThat(reader.named("stream_end")).isEmpty();
        }
    }

    @Test
    void aClientThatStopsReadingOnAConflatedChannelIsEndedToo() throws Exception {
        // Conflation holds the stuck client's events instead of queueing them, so no queue overflows for it; with
        // 8 KB events its queue is congested after 64 of them (once the socket buffers are full), and the 500 slots
        // left would take pings ~100 s to fill. It must be ended because it takes nothing for the stalled-write
        // timeout.
        RunningBridge bridge = fixture.start(Map.of(
                "bridge.channels.training.conflation.allowed", "true",
                "bridge.stream.ping-interval", "200ms",
                "bridge.stream.stalled-write-timeout", "1s"));
        TestProducer producer = fixture.producer();
        try (SseClient reader = bridge.connect("/api/v1/sse/training");
             Socket stuck = stuckClient(bridge, reader)) {
            String pad = "x".repeat(8000);
            // 12 MB: more than the socket buffers take, so the stuck client's queue is congested.
            for (int i = 0; i < 1500; i++) {
                producer.sendAsync(fixture.topic("training"), "k" + (i % 5),
                        ("{\"seq\":" + i + ",\"pad\":\"" + pad + "\"}").getBytes());
            }
            producer.flush();

            // The reader may itself be conflated in the burst: it ends on every key's latest value.
            await().atMost(WAIT).untilAsserted(() -> assertThat(reader.seqs("training_progress"))
                    .contains(1495, 1496, 1497, 1498, 1499));
            await().atMost(WAIT).until(() -> bridge.metric("ssebridge_overflow_disconnects_total", "") >= 1);
            await().atMost(WAIT).until(() -> bridge.bean(dev.ssebridge.bridge.connection.ConnectionRegistry.class).count() == 1);
            assertThat(reader.named("stream_end")).isEmpty();
        }
    }

    /** A stream of training opened beside {@code reader} by a client that reads nothing (4 KB receive buffer). */
    private static Socket stuckClient(RunningBridge bridge, SseClient reader) throws Exception {
        reader.awaitConnected();
        Socket stuck = new Socket();
        stuck.setReceiveBufferSize(4096);
        stuck.connect(new InetSocketAddress("localhost", bridge.port()));
        stuck.getOutputStream().write("GET /api/v1/sse/training HTTP/1.1\r\nHost: x\r\n\r\n".getBytes());
        await().atMost(WAIT).until(() -> bridge.bean(dev.ssebridge.bridge.connection.ConnectionRegistry.class).count() == 2);
        return stuck;
    }

    @Test
    void healthGoesDownWhenKafkaStopsAndUpWhenItReturns() throws Exception {
        RunningBridge bridge = ownKafka.start(Map.of());
        InProcessKafkaBroker kafka = (InProcessKafkaBroker) ownKafka.broker();
        await().atMost(WAIT).until(() -> kafkaHealth(bridge).get("status").asString().equals("UP"));

        kafka.stopBroker();

        await().atMost(WAIT).until(() -> kafkaHealth(bridge).get("status").asString().equals("DOWN"));
        assertThat(kafkaHealth(bridge).at("/details/down_since").asString()).isNotBlank();
        JsonNode status = JSON.readTree(bridge.get("/api/v1/sse/status"));
        assertThat(status.at("/kafka/status").asString()).isEqualTo("down");
        assertThat(bridge.metric("ssebridge_kafka_up", "")).isZero();

        kafka.startBroker();

        await().atMost(WAIT).until(() -> kafkaHealth(bridge).get("status").asString().equals("UP"));
        assertThat(JSON.readTree(bridge.get("/api/v1/sse/status")).at("/kafka/status").asString()).isEqualTo("up");
    }

    private static JsonNode kafkaHealth(RunningBridge bridge) {
        String body = bridge.webClient().get().uri("/actuator/health").exchangeToMono(r -> r.bodyToMono(String.class))
                .block(WAIT);
        return JSON.readTree(body).at("/components/kafka");
    }
}
