package dev.ssebridge.bridge.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ssebridge.bridge.channel.Channels;
import dev.ssebridge.bridge.cursor.Cursor;
import dev.ssebridge.bridge.cursor.CursorCodec;
import dev.ssebridge.bridge.cursor.TopicIncarnation;
import dev.ssebridge.bridge.kafka.KafkaReplayReader;
import dev.ssebridge.bridge.support.BridgeFixture;
import dev.ssebridge.bridge.support.SseClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import tools.jackson.databind.json.JsonMapper;

class MultiplexedStreamIT {

    @RegisterExtension
    final BridgeFixture fixture = BridgeFixture.withPartitions(3).startedByEachTest();

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String PATH = "/api/v1/sse/stream?channels=training,alerts,dashboard";

    @Test
    void oneConnectionCarriesSeveralChannelsEachWithItsEventNameAndOneCursor() {
        start(Map.of());
        try (SseClient client = fixture.bridge().connect(PATH)) {
            SseClient.Received connected = client.awaitConnected();
            assertThat(connected.payload().get("channels")).extracting(n -> n.asString())
                    .containsExactly("training", "alerts", "dashboard");
            assertThat(connected.payload().get("events").get("training").asString()).isEqualTo("training_progress");
            assertThat(connected.payload().get("events").get("alerts").asString()).isEqualTo("risk_alert");
            assertThat(connected.payload().get("events").get("dashboard").asString()).isEqualTo("dashboard_update");
            produceAll(0, 4);

            client.awaitNamed("training_progress", 4, WAIT);
            client.awaitNamed("risk_alert", 4, WAIT);
            client.awaitNamed("dashboard_update", 4, WAIT);
            assertThat(client.named("backtest_progress")).isEmpty();
            Cursor last = fixture.bridge().bean(CursorCodec.class).decode(client.lastEventId());
            assertThat(last.channels()).extracting(c -> c.name()).containsExactly("training", "alerts", "dashboard");
        }
    }

    @Test
    void resumeAcrossChannelsIsExactFromTheRingAndFromKafka() {
        start(Map.of("bridge.ring.max-events", "6"));
        Map<String, List<Integer>> received = new TreeMap<>();
        SseClient first = fixture.bridge().connect(PATH);
        first.awaitConnected();
        produceAll(0, 3);
        first.awaitNamed("dashboard_update", 3, WAIT);
        first.close();
        List<SseClient.Received> seen = first.all();
        collect(received, seen);

        // Two events per channel fit the ring; ten do not.
        produceAll(3, 2);
        SseClient inRing = fixture.bridge().connect(PATH, Map.of("Last-Event-ID", SseClient.lastEventId(seen)));
        inRing.awaitNamed("dashboard_update", 2, WAIT);
        inRing.close();
        seen = inRing.all();
        collect(received, seen);
        assertThat(fixture.bridge().bean(KafkaReplayReader.class).consumersCreated()).isZero();

        produceAll(5, 10);
        try (SseClient fromKafka = fixture.bridge().connect(PATH, Map.of("Last-Event-ID", SseClient.lastEventId(seen)))) {
            fromKafka.awaitNamed("training_progress", 10, WAIT);
            fromKafka.awaitNamed("risk_alert", 10, WAIT);
            fromKafka.awaitNamed("dashboard_update", 10, WAIT);
            collect(received, fromKafka.all());
        }
        assertThat(fixture.bridge().bean(KafkaReplayReader.class).consumersCreated()).isPositive();
        List<Integer> all = java.util.stream.IntStream.range(0, 15).boxed().toList();
        assertThat(received).containsOnlyKeys("training_progress", "risk_alert", "dashboard_update");
        received.values().forEach(seqs -> assertThat(seqs).containsExactlyInAnyOrderElementsOf(all));
    }

    @ParameterizedTest
    @ValueSource(strings = {"channels=training,portfolio", "channels=training,alerts,training", "channels=",
            "client_id=x"})
    void badChannelListsAreBadRequestsNamingTheProblem(String query) {
        start(Map.of());
        ResponseEntity<String> response = fixture.bridge().webClient().get().uri("/api/v1/sse/stream?" + query)
                .accept(MediaType.TEXT_EVENT_STREAM).exchangeToMono(r -> r.toEntity(String.class)).block(WAIT);

        assertThat(response.getStatusCode().value()).isEqualTo(400);
        assertThat(response.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
        var problem = JSON.readTree(response.getBody());
        assertThat(problem.get("parameter").asString()).isEqualTo("channels");
        if (query.contains("portfolio")) {
            assertThat(problem.get("detail").asString()).contains("portfolio");
        }
        if (query.endsWith(",training")) {
            assertThat(problem.get("detail").asString()).contains("more than once: training");
        }
    }

    @Test
    void aCursorForChannelsTheStreamDoesNotCarryIsRefused() {
        start(Map.of());
        Channels configured = fixture.bridge().bean(Channels.class);
        String backtestCursor = fixture.bridge().bean(CursorCodec.class).encode(configured.require("backtest"), TopicIncarnation.UNKNOWN, new long[] {0, 0, 0});

        ResponseEntity<String> response = fixture.bridge().webClient().get().uri(PATH).header("Last-Event-ID", backtestCursor)
                .accept(MediaType.TEXT_EVENT_STREAM).exchangeToMono(r -> r.toEntity(String.class)).block(WAIT);

        assertThat(response.getStatusCode().value()).isEqualTo(400);
        assertThat(JSON.readTree(response.getBody()).get("detail").asString()).contains("'backtest'");
    }

    private void start(Map<String, Object> extra) {
        fixture.start(extra);
    }

    private void produceAll(int from, int count) {
        for (int seq = from; seq < from + count; seq++) {
            String key = "e-" + (seq % 5);
            fixture.producer().send(fixture.channels().topic("training"), key, "{\"seq\":" + seq + "}");
            fixture.producer().send(fixture.channels().topic("backtest"), key, "{\"seq\":" + seq + "}");
            fixture.producer().send(fixture.channels().topic("alerts"), key, "{\"seq\":" + seq + ",\"severity\":\"low\"}");
            fixture.producer().send(fixture.channels().topic("dashboard"), key, "{\"seq\":" + seq + "}");
        }
    }

    private static void collect(Map<String, List<Integer>> into, List<SseClient.Received> events) {
        for (SseClient.Received e : events) {
            if (e.event().endsWith("_progress") || e.event().equals("risk_alert") || e.event().equals("dashboard_update")) {
                into.computeIfAbsent(e.event(), k -> new ArrayList<>()).add(e.payload().get("seq").asInt());
            }
        }
    }
}
