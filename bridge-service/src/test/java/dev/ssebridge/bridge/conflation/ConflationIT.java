package dev.ssebridge.bridge.conflation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ssebridge.bridge.support.BridgeFixture;
import dev.ssebridge.bridge.support.RunningBridge;
import dev.ssebridge.bridge.support.SseClient;
import dev.ssebridge.testsupport.TestTopics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.http.HttpStatus;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code ?max_rate=} against a real broker: a client limited to one event per second per key gets fewer events
 * than were written, never two of a key less than an interval apart (give or take the network), and the latest
 * value of every key; no key is lost or merged; a resumed conflated stream still ends on every key's latest value;
 * alerts are never conflated.
 */
class ConflationIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @RegisterExtension
    static final BridgeFixture fixture = BridgeFixture.withPartitions(2);
    /** For the test whose training topic comes after the bridge; its topics are made only for that test. */
    @RegisterExtension
    final BridgeFixture lateTraining = BridgeFixture.withPartitions(1).topicNotCreated("training").tailsNotAwaited()
            .settings(Map.of("bridge.kafka.topic-retry-interval", "200ms")).startedByEachTest();

    private final Map<String, Integer> latest = new TreeMap<>();

    @Test
    void aClientAtOneEventPerSecondPerKeyGetsTheLatestValueOfEveryKey() {
        try (SseClient conflated = fixture.bridge().connect("/api/v1/sse/training?max_rate=1");
             SseClient everything = fixture.bridge().connect("/api/v1/sse/training")) {
            conflated.awaitConnected();
            everything.awaitConnected();
            for (int round = 0; round < 30; round++) {
                for (int k = 0; k < 10; k++) {
                    write("training", "task-" + k);
                }
            }
            everything.awaitNamed("training_progress", 300, WAIT);
            await().atMost(WAIT).untilAsserted(() ->
                    assertThat(state(conflated.named("training_progress"))).isEqualTo(latest));

            List<SseClient.Received> got = conflated.named("training_progress");
            assertThat(got.size()).as("conflated").isLessThan(300);
            for (int k = 0; k < 10; k++) {
                String key = "task-" + k;
                List<SseClient.Received> ofKey = got.stream().filter(e -> key(e).equals(key)).toList();
                assertThat(ofKey).extracting(e -> e.payload().get("version").asInt()).as(key).isSorted();
                Duration span = Duration.between(ofKey.get(0).at(), ofKey.get(ofKey.size() - 1).at());
                assertThat(ofKey.size()).as("%s: at most one a second over %s", key, span)
                        .isLessThanOrEqualTo(2 + (int) span.toSeconds());
            }
            assertThat(duplicates(got)).isEmpty();
        }
    }

    @Test
    void aResumedConflatedStreamEndsOnEveryKeysLatestValue() {
        List<SseClient.Received> before;
        try (SseClient first = fixture.bridge().connect("/api/v1/sse/backtest?max_rate=0.5")) {
            first.awaitConnected();
            for (int round = 0; round < 10; round++) {
                for (int k = 0; k < 6; k++) {
                    write("backtest", "bt-" + k);
                }
            }
            // A key not seen before goes out at once, after events the connection holds back (the first of each
            // key went out at once, the rest waits 2 s): its id must not pass them.
            write("backtest", "bt-new");
            await().atMost(WAIT).untilAsserted(() -> assertThat(first.named("backtest_progress"))
                    .anySatisfy(e -> assertThat(key(e)).isEqualTo("bt-new")));
            before = first.all();
        }
        for (int k = 0; k < 6; k += 2) {
            write("backtest", "bt-" + k);
        }
        try (SseClient resumed = fixture.bridge().connect("/api/v1/sse/backtest?max_rate=0.5",
                Map.of("Last-Event-ID", SseClient.lastEventId(before)))) {
            await().atMost(WAIT).untilAsserted(() -> {
                List<SseClient.Received> all = new ArrayList<>(before);
                all.addAll(resumed.all());
                assertThat(state(all.stream().filter(e -> e.event().equals("backtest_progress")).toList()))
                        .isEqualTo(latest.entrySet().stream().filter(e -> e.getKey().startsWith("bt-"))
                                .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue,
                                        (a, b) -> a, TreeMap::new)));
            });
        }
    }

    @Test
    void aClientThatJoinsBeforeTheTopicExistsIsConflatedToo() throws Exception {
        // Before its tail is assigned a channel has no positions; the connection's live position must still be
        // set, or its events pass unconflated for the rest of its life (found by the conflated benchmark).
        String topic = lateTraining.topic("training");
        RunningBridge bridge = lateTraining.start(Map.of());
        try (SseClient conflated = bridge.connect("/api/v1/sse/training?max_rate=1")) {
            conflated.awaitConnected();
            try (var admin = TestTopics.admin()) {
                admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
            }
            await().atMost(WAIT).until(() -> JSON.readTree(bridge.get("/api/v1/sse/status"))
                    .at("/channels/training/state").asString().equals("reading"));
            Map<String, Integer> versions = new TreeMap<>();
            for (int round = 0; round < 20; round++) {
                for (int k = 0; k < 5; k++) {
                    String key = "late-" + k;
                    int version = versions.merge(key, 1, Integer::sum);
                    lateTraining.producer().sendAsync(topic, key, ("{\"task_id\":\"" + key + "\",\"version\":" + version
                            + "}").getBytes(java.nio.charset.StandardCharsets.UTF_8));
                }
            }
            lateTraining.producer().flush();
            await().atMost(WAIT).untilAsserted(() ->
                    assertThat(state(conflated.named("training_progress"))).isEqualTo(versions));
            assertThat(conflated.named("training_progress").size()).as("conflated").isLessThan(100);
        }
    }

    @Test
    void alertsAreNeverConflated() {
        assertThat(problem("/api/v1/sse/alerts?max_rate=1")).isEqualTo("max_rate");
        try (SseClient client = fixture.bridge().connect("/api/v1/sse/stream?channels=alerts,training&max_rate=1")) {
            client.awaitConnected();
            for (int i = 0; i < 40; i++) {
                write("alerts", "portfolio-1");
                write("training", "task-x");
            }
            client.awaitNamed("risk_alert", 40, WAIT);
            await().atMost(WAIT).untilAsserted(() -> assertThat(state(client.named("training_progress")))
                    .containsEntry("task-x", latest.get("task-x")));
            assertThat(client.named("training_progress").size()).as("training conflated beside them").isLessThan(40);
        }
    }

    @Test
    void maxRatesThatDoNotParseAre400s() {
        for (String bad : List.of("0", "-1", "abc", "101", "1e2", "", "0.0000001", "1,2")) {
            assertThat(problem("/api/v1/sse/training?max_rate=" + bad)).as(bad).isEqualTo("max_rate");
        }
        assertThat(problem("/api/v1/sse/training?max_rate=1&max_rate=2")).isEqualTo("max_rate");
    }

    private String problem(String path) {
        var response = fixture.bridge().webClient().get().uri(path).retrieve()
                .onStatus(status -> true, r -> Mono.empty())
                .toEntity(String.class).block(WAIT);
        assertThat(response.getStatusCode()).as(path).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(response.getHeaders().getContentType().toString()).isEqualTo("application/problem+json");
        return JSON.readTree(response.getBody()).get("parameter").asString();
    }

    private void write(String channel, String key) {
        int version = latest.merge(key, 1, Integer::sum);
        String field = channel.equals("training") ? "task_id" : channel.equals("backtest") ? "backtest_id" : "entity_id";
        fixture.producer().sendAsync(fixture.topic(channel), key, ("{\"" + field + "\":\"" + key + "\",\"version\":"
                + version + ",\"severity\":\"high\"}").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        fixture.producer().flush();
    }

    private static String key(SseClient.Received event) {
        var payload = event.payload();
        for (String field : List.of("task_id", "backtest_id", "entity_id")) {
            if (payload.has(field)) {
                return payload.get(field).asString();
            }
        }
        throw new IllegalArgumentException("no key in " + payload);
    }

    private static Map<String, Integer> state(List<SseClient.Received> events) {
        Map<String, Integer> state = new TreeMap<>();
        events.forEach(e -> state.put(key(e), e.payload().get("version").asInt()));
        return state;
    }

    private static Set<String> duplicates(List<SseClient.Received> events) {
        Set<String> seen = new HashSet<>();
        Set<String> twice = new HashSet<>();
        events.forEach(e -> {
            String record = key(e) + "@" + e.payload().get("version").asInt();
            if (!seen.add(record)) {
                twice.add(record);
            }
        });
        return twice;
    }
}
