package dev.ssebridge.bridge.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ssebridge.bridge.channel.Channels;
import dev.ssebridge.bridge.cursor.CursorCodec;
import dev.ssebridge.bridge.kafka.KafkaReplayReader;
import dev.ssebridge.bridge.support.BridgeFixture;
import dev.ssebridge.bridge.support.Produced;
import dev.ssebridge.bridge.support.SseClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import tools.jackson.databind.json.JsonMapper;

class FilterIT {

    @RegisterExtension
    final BridgeFixture fixture = BridgeFixture.withPartitions(3).startedByEachTest();

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String[] SEVERITIES = {"low", "medium", "high", "critical"};

    @Test
    void aKeyFilterHoldsLiveAndOnExactResumeFromRingAndKafka() {
        start(Map.of("bridge.ring.max-events", "10"));
        Produced produced = new Produced(fixture.producer(), fixture.channels().topic("training"));
        Set<String> wanted = Set.of("task-2", "task-5");
        SseClient first = fixture.bridge().connect("/api/v1/sse/training?task_id=task-2,task-5");
        long[] start = startOf(first.awaitConnected().id());
        produced.next(14); // 4 wanted
        first.awaitNamed("training_progress", 4, WAIT);
        first.close();
        List<SseClient.Received> seen = first.all();
        List<Integer> all = new ArrayList<>(SseClient.seqs(seen, "training_progress"));

        produced.next(7); // inside the ring: 2 wanted
        SseClient second = fixture.bridge().connect("/api/v1/sse/training?task_id=task-2,task-5",
                Map.of("Last-Event-ID", SseClient.lastEventId(seen)));
        second.awaitNamed("training_progress", 2, WAIT);
        second.close();
        seen = second.all();
        all.addAll(SseClient.seqs(seen, "training_progress"));

        produced.next(35); // beyond the ring: 10 wanted
        try (SseClient third = fixture.bridge().connect("/api/v1/sse/training?task_id=task-2,task-5",
                Map.of("Last-Event-ID", SseClient.lastEventId(seen)))) {
            third.awaitNamed("training_progress", 10, WAIT);
            all.addAll(third.seqs("training_progress"));
        }

        assertThat(fixture.bridge().bean(KafkaReplayReader.class).consumersCreated()).isEqualTo(1);
        assertThat(produced.asReceived(all)).isEqualTo(produced.expectedFrom(start, wanted::contains));
        all.forEach(seq -> assertThat(produced.get(seq).key()).isIn(wanted));
    }

    @Test
    void minSeverityKeepsHighAndCriticalLiveAndInReplay() {
        start(Map.of());
        for (int i = 0; i < 8; i++) {
            alert(i);
        }
        try (SseClient replayed = fixture.bridge().connect("/api/v1/sse/alerts?from=earliest&min_severity=high");
             SseClient everything = fixture.bridge().connect("/api/v1/sse/alerts?from=earliest")) {
            replayed.awaitNamed("risk_alert", 4, WAIT);
            everything.awaitNamed("risk_alert", 8, WAIT);
            for (int i = 8; i < 16; i++) {
                alert(i);
            }
            everything.awaitNamed("risk_alert", 16, WAIT);
            replayed.awaitNamed("risk_alert", 8, WAIT);

            assertThat(replayed.named("risk_alert")).extracting(e -> e.payload().get("severity").asString())
                    .containsOnly("high", "critical").hasSize(8);
            assertThat(replayed.seqs("risk_alert")).containsExactlyInAnyOrder(2, 3, 6, 7, 10, 11, 14, 15);
        }
    }

    @Test
    void keyFiltersOnAMultiplexedStreamAndTheChannelShortcuts() {
        start(Map.of());
        try (SseClient byKey = fixture.bridge().connect("/api/v1/sse/stream?channels=training,dashboard&key=p-1");
             SseClient byShortcut = fixture.bridge().connect("/api/v1/sse/stream?channels=backtest,dashboard&portfolio_id=p-2");
             SseClient byBacktest = fixture.bridge().connect("/api/v1/sse/backtest?backtest_id=bt-1")) {
            byKey.awaitConnected();
            byShortcut.awaitConnected();
            byBacktest.awaitConnected();
            for (int seq = 0; seq < 6; seq++) {
                String key = seq % 2 == 0 ? "p-1" : "p-2";
                fixture.producer().send(fixture.channels().topic("training"), key, "{\"seq\":" + seq + "}");
                fixture.producer().send(fixture.channels().topic("dashboard"), key, "{\"seq\":" + seq + "}");
                fixture.producer().send(fixture.channels().topic("backtest"), seq % 3 == 0 ? "bt-1" : "bt-2", "{\"seq\":" + seq + "}");
            }

            byKey.awaitNamed("training_progress", 3, WAIT);
            byKey.awaitNamed("dashboard_update", 3, WAIT);
            byShortcut.awaitNamed("dashboard_update", 3, WAIT);
            byShortcut.awaitNamed("backtest_progress", 6, WAIT);
            byBacktest.awaitNamed("backtest_progress", 2, WAIT);
            assertThat(byKey.seqs("training_progress")).containsExactly(0, 2, 4);
            assertThat(byKey.seqs("dashboard_update")).containsExactly(0, 2, 4);
            assertThat(byShortcut.seqs("dashboard_update")).containsExactly(1, 3, 5);
            assertThat(byShortcut.seqs("backtest_progress")).as("portfolio_id leaves backtest alone").hasSize(6);
            assertThat(byBacktest.seqs("backtest_progress")).containsExactly(0, 3);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"/api/v1/sse/alerts?min_severity=severe", "/api/v1/sse/training?min_severity=high",
            "/api/v1/sse/alerts?task_id=t-1", "/api/v1/sse/training?key=a%20b", "/api/v1/sse/training?task_id=%3Cx%3E",
            "/api/v1/sse/stream?channels=training&portfolio_id=p"})
    void invalidFilterValuesAreBadRequests(String uri) {
        start(Map.of());
        ResponseEntity<String> response = fixture.bridge().webClient().get().uri(java.net.URI.create(fixture.bridge().baseUrl() + uri))
                .accept(MediaType.TEXT_EVENT_STREAM).exchangeToMono(r -> r.toEntity(String.class)).block(WAIT);

        assertThat(response.getStatusCode().value()).isEqualTo(400);
        assertThat(response.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(JSON.readTree(response.getBody()).get("parameter").asString()).isNotBlank();
    }

    @Test
    void anOverlongKeyListIsABadRequest() {
        start(Map.of());
        String keys = String.join(",", java.util.Collections.nCopies(101, "k"));
        ResponseEntity<String> response = fixture.bridge().webClient().get().uri("/api/v1/sse/training?key=" + keys)
                .accept(MediaType.TEXT_EVENT_STREAM).exchangeToMono(r -> r.toEntity(String.class)).block(WAIT);

        assertThat(response.getStatusCode().value()).isEqualTo(400);
        assertThat(JSON.readTree(response.getBody()).get("detail").asString()).contains("at most 100");
    }

    private void alert(int seq) {
        fixture.producer().send(fixture.channels().topic("alerts"), "p-" + (seq % 3), "{\"seq\":" + seq + ",\"severity\":\""
                + SEVERITIES[seq % 4] + "\",\"message\":\"m\"}");
    }

    private long[] startOf(String cursor) {
        return fixture.bridge().bean(CursorCodec.class).decode(cursor).positions(fixture.bridge().bean(Channels.class).require("training"));
    }

    private void start(Map<String, Object> extra) {
        fixture.start(extra);
    }
}
