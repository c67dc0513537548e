package dev.ssebridge.bridge.history;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ssebridge.bridge.kafka.KafkaReplayReader;
import dev.ssebridge.bridge.support.BridgeFixture;
import dev.ssebridge.bridge.support.Produced;
import dev.ssebridge.bridge.support.SseClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class HistoryIT {

    @RegisterExtension
    final BridgeFixture fixture = BridgeFixture.withPartitions(3).startedByEachTest();

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private Produced produced;

    @Test
    void withoutSinceTheRingAnswersNewestLastAndTheCursorGoesOnLiveExactly() {
        start(Map.of());
        // One at a time: the ring keeps the tail's order, and one fetch holding records of several
        // partitions hands them over partition by partition, not in the order they were produced.
        for (int i = 1; i <= 30; i++) {
            produced.next();
            awaitPublished(i);
        }

        JsonNode answer = get("/api/v1/sse/history/training?limit=10");

        assertThat(answer.get("source").asString()).isEqualTo("ring");
        assertThat(answer.get("truncated").asBoolean()).isTrue();
        List<JsonNode> events = list(answer.get("events"));
        assertThat(events).hasSize(10);
        assertThat(events).allSatisfy(e -> {
            assertThat(e.get("event").asString()).isEqualTo("training_progress");
            assertThat(e.get("id").asString()).isNotBlank();
            assertThat(Instant.parse(e.get("timestamp").asString())).isNotNull();
        });
        List<Integer> seqs = events.stream().map(e -> e.at("/data/seq").asInt()).toList();
        assertThat(seqs).containsExactlyInAnyOrderElementsOf(java.util.stream.IntStream.range(20, 30).boxed().toList());
        assertThat(fixture.bridge().bean(KafkaReplayReader.class).consumersCreated()).isZero();

        produced.next(5);
        try (SseClient live = fixture.bridge().connect("/api/v1/sse/training?last_event_id=" + answer.get("cursor").asString())) {
            live.awaitNamed("training_progress", 5, WAIT);
            assertThat(live.seqs("training_progress")).containsExactlyInAnyOrder(30, 31, 32, 33, 34);
        }
        // The last event's own id resumes to the same place.
        try (SseClient fromLast = fixture.bridge().connect("/api/v1/sse/training",
                Map.of("Last-Event-ID", events.get(events.size() - 1).get("id").asString()))) {
            fromLast.awaitNamed("training_progress", 5, WAIT);
            assertThat(fromLast.seqs("training_progress")).containsExactlyInAnyOrder(30, 31, 32, 33, 34);
        }
    }

    @Test
    void sinceOlderThanTheRingIsReadFromKafkaWithFilters() {
        start(Map.of("bridge.ring.max-events", "5"));
        Instant t0 = Instant.now().minusSeconds(120);
        for (int i = 0; i < 20; i++) {
            produced.next(t0.minusSeconds(60).toEpochMilli());
        }
        for (int i = 0; i < 21; i++) {
            produced.next(t0.plusMillis(i).toEpochMilli());
        }
        awaitPublished(41);

        JsonNode all = get("/api/v1/sse/history/training?since=" + t0);
        JsonNode filtered = get("/api/v1/sse/history/training?since=" + t0 + "&task_id=task-3&limit=1000");

        assertThat(all.get("source").asString()).isEqualTo("kafka");
        assertThat(all.get("truncated").asBoolean()).isFalse();
        assertThat(list(all.get("events")).stream().map(e -> e.at("/data/seq").asInt()))
                .containsExactlyInAnyOrderElementsOf(java.util.stream.IntStream.range(20, 41).boxed().toList());
        List<Integer> expected = new ArrayList<>();
        for (int seq = 20; seq < 41; seq++) {
            if (produced.get(seq).key().equals("task-3")) {
                expected.add(seq);
            }
        }
        assertThat(list(filtered.get("events")).stream().map(e -> e.at("/data/seq").asInt()))
                .containsExactlyElementsOf(expected);
        // Newest last.
        List<Long> times = list(all.get("events")).stream()
                .map(e -> Instant.parse(e.get("timestamp").asString()).toEpochMilli()).toList();
        assertThat(times).isSorted();
        assertThat(fixture.bridge().bean(KafkaReplayReader.class).openConsumers()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"limit=0", "limit=1001", "limit=ten", "since=yesterday", "min_severity=high"})
    void badQueriesAreBadRequests(String query) {
        start(Map.of());
        ResponseEntity<String> response = fixture.bridge().webClient().get().uri("/api/v1/sse/history/training?" + query)
                .exchangeToMono(r -> r.toEntity(String.class)).block(WAIT);

        assertThat(response.getStatusCode().value()).isEqualTo(400);
        assertThat(response.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
    }

    @Test
    void unknownChannelIsNotFound() {
        start(Map.of());
        ResponseEntity<String> response = fixture.bridge().webClient().get().uri("/api/v1/sse/history/nope")
                .exchangeToMono(r -> r.toEntity(String.class)).block(WAIT);
        assertThat(response.getStatusCode().value()).isEqualTo(404);
    }

    private void awaitPublished(long count) {
        var hub = fixture.bridge().bean(dev.ssebridge.bridge.hub.ChannelHubs.class)
                .of(fixture.bridge().bean(dev.ssebridge.bridge.channel.Channels.class).require("training"));
        org.awaitility.Awaitility.await().atMost(WAIT).until(() -> hub.counters().publishedCount() >= count);
    }

    private JsonNode get(String uri) {
        return JSON.readTree(fixture.bridge().webClient().get().uri(java.net.URI.create(fixture.bridge().baseUrl() + uri))
                .retrieve().bodyToMono(String.class).block(WAIT));
    }

    private static List<JsonNode> list(JsonNode array) {
        List<JsonNode> out = new ArrayList<>();
        array.forEach(out::add);
        return out;
    }

    private void start(Map<String, Object> extra) {
        fixture.start(extra);
        produced = new Produced(fixture.producer(), fixture.channels().topic("training"));
    }
}
