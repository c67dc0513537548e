package dev.ssebridge.bridge.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ssebridge.bridge.support.BridgeFixture;
import dev.ssebridge.bridge.support.RunningBridge;
import dev.ssebridge.bridge.support.SseClient;
import dev.ssebridge.testsupport.TestProducer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** No record, however broken, breaks a stream or a tail; each kind is counted by reason. */
class BadRecordsIT {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @RegisterExtension
    final BridgeFixture fixture = BridgeFixture.withPartitions(1)
            .settings(Map.of("bridge.kafka.max-record-size", "2KB"));

    @Test
    void badRecordsAreSkippedOrDeliveredSafelyAndCounted() {
        String topic = fixture.topic("alerts");
        RunningBridge bridge = fixture.bridge();
        TestProducer producer = fixture.producer();
        try (SseClient client = bridge.connect("/api/v1/sse/alerts");
             SseClient filtered = bridge.connect("/api/v1/sse/alerts?min_severity=low")) {
            client.awaitConnected();
            filtered.awaitConnected();
            good(producer, topic, 0);
            producer.send(topic, "k", "{\"broken\": ");                                        // not JSON
            producer.send(new ProducerRecord<>(topic, "k".getBytes(), new byte[] {'"', (byte) 0xFF, (byte) 0xFE, '"'})); // not UTF-8
            producer.send(topic, "k", "{\"pad\":\"" + "x".repeat(4000) + "\"}");                // oversize
            producer.send(topic, "gone-1", null);                                              // tombstone
            producer.send(new ProducerRecord<>(topic, 0, null, "k".getBytes(),
                    "{\"seq\":100,\"severity\":\"high\"}".getBytes(), oddHeaders()));           // odd headers
            producer.send(new ProducerRecord<>(topic, 0, null, null, new byte[0], null));      // empty, no key
            producer.send(topic, "k", "\uFEFF{\"seq\":101,\"severity\":\"low\"}");             // BOM
            good(producer, topic, 1);

            client.awaitNamed("risk_alert", 4, WAIT);
            client.awaitNamed("delete", 1, WAIT);
            assertThat(client.seqs("risk_alert")).containsExactly(0, 100, 101, 1);
            assertThat(client.named("delete").get(0).payload().get("key").asString()).isEqualTo("gone-1");
            assertThat(client.named("delete").get(0).payload().get("channel").asString()).isEqualTo("alerts");
            filtered.awaitNamed("risk_alert", 4, WAIT);
            assertThat(client.error()).isNull();
            assertThat(client.isCompleted()).isFalse();

            JsonNode status = JsonMapper.builder().build().readTree(bridge.get("/api/v1/sse/status"));
            assertThat(status.at("/channels/alerts/skipped_records/invalid_json").asLong()).isEqualTo(2);
            assertThat(status.at("/channels/alerts/skipped_records/invalid_utf8").asLong()).isEqualTo(1);
            assertThat(status.at("/channels/alerts/skipped_records/oversize").asLong()).isEqualTo(1);
            await().atMost(WAIT).untilAsserted(() -> {
                assertThat(bridge.metric("ssebridge_records_skipped_total", "channel=\"alerts\",reason=\"invalid_json\""))
                        .isEqualTo(2);
                assertThat(bridge.metric("ssebridge_records_skipped_total", "channel=\"alerts\",reason=\"invalid_utf8\""))
                        .isEqualTo(1);
                assertThat(bridge.metric("ssebridge_records_skipped_total", "channel=\"alerts\",reason=\"oversize\""))
                        .isEqualTo(1);
            });

            // The tail goes on: a late record arrives, and a resume across the bad records is exact.
            good(producer, topic, 2);
            client.awaitNamed("risk_alert", 5, WAIT);
            try (SseClient resumed = bridge.connect("/api/v1/sse/alerts",
                    Map.of("Last-Event-ID", client.named("risk_alert").get(0).id()))) {
                resumed.awaitNamed("risk_alert", 4, WAIT);
                assertThat(resumed.seqs("risk_alert")).containsExactly(100, 101, 1, 2);
            }
        }
    }

    private static void good(TestProducer producer, String topic, int seq) {
        producer.send(topic, "k", "{\"seq\":" + seq + ",\"severity\":\"medium\"}");
    }

    private static RecordHeaders oddHeaders() {
        RecordHeaders headers = new RecordHeaders();
        headers.add("ce_type", null);
        headers.add("", "empty name".getBytes(StandardCharsets.UTF_8));
        headers.add("binary", new byte[] {0, (byte) 0xFF, 10, 13});
        headers.add("ce_type", "not_this_channel".getBytes(StandardCharsets.UTF_8));
        for (int i = 0; i < 50; i++) {
            headers.add("h" + i, new byte[1000]);
        }
        return headers;
    }
}
