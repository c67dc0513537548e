package dev.ssebridge.bridge.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ssebridge.bridge.channel.Channels;
import dev.ssebridge.bridge.cursor.Cursor;
import dev.ssebridge.bridge.cursor.CursorCodec;
import dev.ssebridge.bridge.support.BridgeFixture;
import dev.ssebridge.bridge.support.SeedPayloads;
import dev.ssebridge.bridge.support.SseClient;
import dev.ssebridge.bridge.support.TestChannels;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import reactor.core.publisher.Flux;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class ChannelStreamingIT {

    @RegisterExtension
    final BridgeFixture fixture = BridgeFixture.withPartitions(3);

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void everyChannelDeliversItsRecordsInOrderWithEventNameIdAndEnvelope() {
        Map<String, SseClient> clients = new HashMap<>();
        for (String channel : fixture.channels().topics().keySet()) {
            clients.put(channel, fixture.bridge().connect("/api/v1/sse/" + channel));
        }
        clients.values().forEach(SseClient::awaitConnected);

        Map<String, List<RecordMetadata>> sent = new HashMap<>();
        Map<String, List<String>> values = new HashMap<>();
        for (String channel : fixture.channels().topics().keySet()) {
            for (int i = 0; i < 12; i++) {
                String value = SeedPayloads.of(channel, i);
                // Keys spread the records over the three partitions.
                RecordMetadata meta = fixture.producer().send(fixture.channels().topic(channel), "entity-" + (i % 4), value);
                sent.computeIfAbsent(channel, c -> new ArrayList<>()).add(meta);
                values.computeIfAbsent(channel, c -> new ArrayList<>()).add(value);
            }
        }

        CursorCodec codec = fixture.bridge().bean(CursorCodec.class);
        Channels configured = fixture.bridge().bean(Channels.class);
        for (String channel : fixture.channels().topics().keySet()) {
            String eventName = TestChannels.EVENT_NAMES.get(channel);
            List<SseClient.Received> events = clients.get(channel).awaitNamed(eventName, 12, WAIT);
            assertThat(events).hasSize(12);
            // Per partition, events arrive in offset order; each carries the value produced, as JSON.
            Map<Integer, Long> lastOffset = new HashMap<>();
            for (SseClient.Received event : events) {
                int index = SeedPayloads.indexOf(event.payload());
                RecordMetadata meta = sent.get(channel).get(index);
                assertThat(event.payload()).isEqualTo(JSON.readTree(values.get(channel).get(index)));
                assertThat(event.json().get("event").asString()).isEqualTo(eventName);
                assertThat(Instant.parse(event.json().get("timestamp").asString()))
                        .isEqualTo(Instant.ofEpochMilli(meta.timestamp()));
                Long previous = lastOffset.put(meta.partition(), meta.offset());
                assertThat(previous == null || previous < meta.offset()).as("order within partition").isTrue();
                // The id is a cursor positioned right after this record.
                Cursor cursor = codec.decode(event.id());
                assertThat(cursor.positions(configured.require(channel))[meta.partition()])
                        .isEqualTo(meta.offset() + 1);
            }
        }
        clients.values().forEach(SseClient::close);
    }

    @Test
    void connectedComesFirstWithClientIdChannelRetryAndStartingCursor() {
        try (SseClient client = fixture.bridge().connect("/api/v1/sse/alerts?client_id=desk-7")) {
            SseClient.Received connected = client.awaitConnected();

            assertThat(client.all().get(0).event()).isEqualTo("connected");
            assertThat(connected.payload().get("client_id").asString()).isEqualTo("desk-7");
            assertThat(connected.payload().get("channel").asString()).isEqualTo("alerts");
            assertThat(connected.retry()).isBetween(Duration.ofSeconds(2), Duration.ofSeconds(3));
            Cursor start = fixture.bridge().bean(CursorCodec.class).decode(connected.id());
            assertThat(start.positions(fixture.bridge().bean(Channels.class).require("alerts"))).containsExactly(0, 0, 0);
        }
    }

    @Test
    void generatedClientIdWhenNoneIsGiven() {
        try (SseClient client = fixture.bridge().connect("/api/v1/sse/training")) {
            String clientId = client.awaitConnected().payload().get("client_id").asString();
            assertThat(clientId).matches("[0-9a-f-]{36}");
        }
    }

    @Test
    void responseHeadersSuitProxiesAndEventSource() {
        ResponseEntity<Flux<DataBuffer>> head = fixture.bridge().webClient().get().uri("/api/v1/sse/dashboard")
                .accept(MediaType.TEXT_EVENT_STREAM)
                .retrieve()
                .toEntityFlux(DataBuffer.class)
                .block(WAIT);
        // Take the first frame and cancel: the stream itself never ends.
        DataBufferUtils.release(head.getBody().blockFirst(WAIT));

        assertThat(head.getStatusCode().value()).isEqualTo(200);
        assertThat(head.getHeaders().getContentType().isCompatibleWith(MediaType.TEXT_EVENT_STREAM)).isTrue();
        assertThat(head.getHeaders().getCacheControl()).isEqualTo("no-cache");
        assertThat(head.getHeaders().getFirst("X-Accel-Buffering")).isEqualTo("no");
    }

    @Test
    void twoClientsGetEveryRecordFromOneConsumerPerTopic() {
        assertThat(fixture.bridge().openKafkaConsumers()).isEqualTo(4);

        try (SseClient first = fixture.bridge().connect("/api/v1/sse/training");
             SseClient second = fixture.bridge().connect("/api/v1/sse/training")) {
            first.awaitConnected();
            second.awaitConnected();
            for (int i = 0; i < 25; i++) {
                fixture.producer().send(fixture.channels().topic("training"), "task-" + i, SeedPayloads.of("training", i));
            }

            List<SseClient.Received> a = first.awaitNamed("training_progress", 25, WAIT);
            List<SseClient.Received> b = second.awaitNamed("training_progress", 25, WAIT);
            assertThat(a).extracting(SseClient.Received::data)
                    .containsExactlyElementsOf(b.stream().map(SseClient.Received::data).toList());
            assertThat(a).extracting(SseClient.Received::id)
                    .containsExactlyElementsOf(b.stream().map(SseClient.Received::id).toList());
            // Still one Kafka consumer per topic: clients share the channel's tail.
            assertThat(fixture.bridge().openKafkaConsumers()).isEqualTo(4);
        }
    }

    @Test
    void nonJsonRecordsAreSkippedCountedAndTheStreamGoesOn() {
        try (SseClient client = fixture.bridge().connect("/api/v1/sse/backtest")) {
            client.awaitConnected();
            String topic = fixture.channels().topic("backtest");
            fixture.producer().send(topic, 0, "bt-1", SeedPayloads.of("backtest", 0));
            fixture.producer().send(topic, 0, "bt-1", "this is not json");
            fixture.producer().send(topic, 0, "bt-1", "{\"unterminated\": ");
            fixture.producer().send(topic, 0, "bt-1", SeedPayloads.of("backtest", 1));

            List<SseClient.Received> events = client.awaitNamed("backtest_progress", 2, WAIT);
            assertThat(events).extracting(e -> SeedPayloads.indexOf(e.payload())).containsExactly(0, 1);
            JsonNode status = JSON.readTree(fixture.bridge().webClient().get().uri("/api/v1/sse/status")
                    .retrieve().bodyToMono(String.class).block(WAIT));
            assertThat(status.at("/channels/backtest/skipped_records/invalid_json").asLong()).isEqualTo(2);
            assertThat(client.error()).isNull();
            assertThat(client.isCompleted()).isFalse();
        }
    }

    @Test
    void recordValuesWithLineBreaksStayOneEvent() {
        try (SseClient client = fixture.bridge().connect("/api/v1/sse/alerts")) {
            client.awaitConnected();
            String pretty = "{\n  \"alert_type\": \"var_exceeded\",\r\n  \"message\": \"line\\nbreak\"\n}\n";
            fixture.producer().send(fixture.channels().topic("alerts"), "portfolio-1", pretty);

            SseClient.Received event = client.awaitNamed("risk_alert", 1, WAIT).get(0);
            assertThat(event.payload()).isEqualTo(JSON.readTree(pretty));
            assertThat(event.payload().get("message").asString()).isEqualTo("line\nbreak");
        }
    }

    @Test
    void tombstonesAreDeliveredAsDeleteEventsCarryingTheKey() {
        try (SseClient client = fixture.bridge().connect("/api/v1/sse/dashboard")) {
            client.awaitConnected();
            fixture.producer().send(fixture.channels().topic("dashboard"), "portfolio-9", null);

            SseClient.Received event = client.awaitNamed("delete", 1, WAIT).get(0);
            assertThat(event.payload().get("key").asString()).isEqualTo("portfolio-9");
            assertThat(event.id()).isNotBlank();
        }
    }
}
