package dev.ssebridge.bridge.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ssebridge.bridge.support.BridgeFixture;
import dev.ssebridge.bridge.support.RunningBridge;
import dev.ssebridge.bridge.support.SseClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.http.HttpStatus;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code ?snapshot=true} against a real broker: a compacted topic written before the bridge starts (updates,
 * tombstones), read into the channel's state from the topic's start; a client gets the latest value of every
 * live key, {@code snapshot_end}, then live events, and leaving at any point (mid-snapshot, at its end, live) and
 * resuming with its last id ends with every key's latest value and no record twice. Filters apply to the
 * snapshot; the bounds truncate it and say so; a state field keeps several values per key.
 */
class SnapshotIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @RegisterExtension
    final BridgeFixture fixture = BridgeFixture.withPartitions(3)
            .topicConfigs(Map.of("cleanup.policy", "compact", "segment.ms", "500", "min.cleanable.dirty.ratio", "0.01"))
            .startedByEachTest();

    /** Model of the topic: per key its latest version, absent after a tombstone. */
    private final Map<String, Integer> latest = new TreeMap<>();
    private final Map<String, Integer> versions = new HashMap<>();

    @Test
    void aSnapshotOfACompactedTopicWithTombstonesThenLiveAndAnExactResumeFromAnyPoint() {
        Random random = new Random(18);
        for (int i = 0; i < 300; i++) {
            write("task-" + random.nextInt(40));
        }
        for (int k = 0; k < 40; k += 7) {
            delete("task-" + k);
        }
        fixture.start(Map.of());

        try (SseClient client = fixture.bridge().connect("/api/v1/sse/training?snapshot=true")) {
            SseClient.Received end = client.awaitNamed("snapshot_end", 1, WAIT).get(0);
            List<SseClient.Received> snapshot = client.named("training_progress");
            assertThat(latestOf(snapshot)).as("the snapshot: every live key's latest value, once").isEqualTo(latest);
            assertThat(snapshot).hasSize(latest.size());
            assertThat(end.json().get("data").get("keys").asInt()).isEqualTo(latest.size());
            assertThat(end.json().get("data").get("truncated").asBoolean()).isFalse();

            // Live after the snapshot, tombstones included. Three keys, so three partitions may be involved: Kafka
            // orders records within a partition only, so the three may arrive in any order.
            write("task-1");
            write("task-99");
            delete("task-2");
            await().atMost(WAIT).untilAsserted(() -> assertThat(liveAfter(client.all(), end)).hasSize(3));
            List<SseClient.Received> all = client.all();
            assertThat(liveAfter(all, end)).extracting(SseClient.Received::event)
                    .containsExactlyInAnyOrder("training_progress", "training_progress", "delete");
            assertThat(finalState(all)).isEqualTo(latest);
        }

        // Resume from points inside the snapshot, at its end and live: each ends with the model, nothing twice.
        List<SseClient.Received> events;
        try (SseClient client = fixture.bridge().connect("/api/v1/sse/training?snapshot=true")) {
            client.awaitNamed("snapshot_end", 1, WAIT);
            events = client.all();
        }
        List<Integer> cuts = List.of(1, 2, events.size() / 2, events.size() - 2, events.size() - 1);
        for (int cut : cuts) {
            List<SseClient.Received> before = events.subList(0, cut + 1);
            String id = SseClient.lastEventId(before);
            for (int i = 0; i < 5; i++) {
                write("task-" + random.nextInt(45));
            }
            delete("task-" + random.nextInt(45));
            try (SseClient resumed = fixture.bridge().connect("/api/v1/sse/training?snapshot=true",
                    Map.of("Last-Event-ID", id))) {
                await().atMost(WAIT).untilAsserted(() -> {
                    List<SseClient.Received> all = new ArrayList<>(before);
                    all.addAll(resumed.all());
                    assertThat(finalState(all)).as("resumed after event %d of the snapshot", cut).isEqualTo(latest);
                });
                assertThat(resumed.named("snapshot_end")).as("a cursor resumes; it gets no snapshot").isEmpty();
                List<SseClient.Received> all = new ArrayList<>(before);
                all.addAll(resumed.all());
                assertThat(duplicates(all)).as("no record twice, resumed after event %d", cut).isEmpty();
            }
        }
    }

    @Test
    void filtersApplyToTheSnapshotAndLiveSubscribersDoNotGetTheBacklogAsNews() {
        for (int i = 0; i < 60; i++) {
            write("task-" + (i % 12));
        }
        fixture.start(Map.of());
        try (SseClient filtered = fixture.bridge().connectEncoded("/api/v1/sse/training?snapshot=true"
                + "&task_id=task-1,task-2,task-3&where=" + RunningBridge.encode("data.version >= 5"), Map.of());
             SseClient live = fixture.bridge().connect("/api/v1/sse/training")) {
            SseClient.Received end = filtered.awaitNamed("snapshot_end", 1, WAIT).get(0);
            live.awaitConnected();
            // task-1..3 were written 5 times each (versions 1..5): the latest is version 5, which passes.
            assertThat(latestOf(filtered.named("training_progress")))
                    .isEqualTo(Map.of("task-1", 5, "task-2", 5, "task-3", 5));
            assertThat(end.json().get("data").get("keys").asInt()).isEqualTo(12);
            assertThat(end.json().get("data").get("sent").asInt()).isEqualTo(3);

            write("task-4");
            await().atMost(WAIT).untilAsserted(() -> assertThat(live.named("training_progress")).hasSize(1));
            assertThat(live.named("training_progress").get(0).payload().get("version").asInt()).isEqualTo(6);
            assertThat(filtered.named("training_progress")).as("task-4 is filtered out").hasSize(3);
        }
    }

    @Test
    void theBoundsTruncateTheSnapshotAndSaySo() {
        for (int i = 0; i < 20; i++) {
            write("task-" + i);
        }
        fixture.start(Map.of("bridge.channels.training.snapshot.max-keys", "8"));
        try (SseClient client = fixture.bridge().connect("/api/v1/sse/training?snapshot=true")) {
            JsonNode end = client.awaitNamed("snapshot_end", 1, WAIT).get(0).json().get("data");
            assertThat(client.named("training_progress")).hasSize(8);
            assertThat(end.get("truncated").asBoolean()).isTrue();
            assertThat(end.get("evicted_keys").asInt()).isEqualTo(12);
        }
        JsonNode status = JSON.readTree(fixture.bridge().get("/api/v1/sse/status"));
        assertThat(status.at("/channels/training/snapshot/keys").asInt()).isEqualTo(8);
        assertThat(status.at("/channels/training/snapshot/evicted_keys").asInt()).isEqualTo(12);
        assertThat(status.at("/channels/training/snapshot/snapshots_served").asInt()).isEqualTo(1);
        assertThat(status.at("/channels/training/snapshot/ready").asBoolean()).isTrue();
    }

    @Test
    void aStateFieldKeepsEachKindOfUpdateOfAKey() {
        String topic = fixture.topic("dashboard");
        for (String kind : List.of("metrics", "positions", "orders", "metrics")) {
            fixture.producer().send(topic, "portfolio-1", "{\"update_type\":\"" + kind + "\",\"portfolio_id\":\"portfolio-1\","
                    + "\"data\":{\"n\":" + (versions.merge(kind, 1, Integer::sum)) + "}}");
        }
        fixture.start(Map.of());
        try (SseClient client = fixture.bridge().connect("/api/v1/sse/dashboard?snapshot=true")) {
            client.awaitNamed("snapshot_end", 1, WAIT);
            Map<String, Integer> kinds = new LinkedHashMap<>();
            client.named("dashboard_update").forEach(e -> kinds.put(e.payload().get("update_type").asString(),
                    e.payload().get("data").get("n").asInt()));
            assertThat(kinds).isEqualTo(Map.of("positions", 1, "orders", 1, "metrics", 2));
        }
    }

    @Test
    void snapshotParametersThatDoNotFitAre400s() {
        fixture.start(Map.of());
        assertThat(problem("/api/v1/sse/training?snapshot=yes")).isEqualTo("snapshot");
        assertThat(problem("/api/v1/sse/alerts?snapshot=true")).as("alerts keep no state").isEqualTo("snapshot");
        assertThat(problem("/api/v1/sse/training?snapshot=true&snapshot=false")).isEqualTo("snapshot");
    }

    private String problem(String path) {
        var response = fixture.bridge().webClient().get().uri(path).retrieve()
                .onStatus(status -> true, r -> reactor.core.publisher.Mono.empty())
                .toEntity(String.class).block(WAIT);
        assertThat(response.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(response.getHeaders().getContentType().toString()).isEqualTo("application/problem+json");
        return JSON.readTree(response.getBody()).get("parameter").asString();
    }

    private void write(String key) {
        int version = versions.merge(key, 1, Integer::sum);
        fixture.producer().send(fixture.topic("training"), key,
                "{\"task_id\":\"" + key + "\",\"version\":" + version + ",\"status\":\"running\"}");
        latest.put(key, version);
    }

    private void delete(String key) {
        fixture.producer().send(new ProducerRecord<>(fixture.topic("training"), key.getBytes(StandardCharsets.UTF_8), null));
        latest.remove(key);
    }

    /** Key to version of each event, the last one of a key winning. */
    private static Map<String, Integer> latestOf(List<SseClient.Received> events) {
        Map<String, Integer> state = new TreeMap<>();
        events.forEach(e -> state.put(e.payload().get("task_id").asString(), e.payload().get("version").asInt()));
        return state;
    }

    /** What a client holding these events, in order, knows: each key's last version, deletes applied. */
    private static Map<String, Integer> finalState(List<SseClient.Received> events) {
        Map<String, Integer> state = new TreeMap<>();
        for (SseClient.Received e : events) {
            if (e.event().equals("training_progress")) {
                state.put(e.payload().get("task_id").asString(), e.payload().get("version").asInt());
            } else if (e.event().equals("delete")) {
                state.remove(e.payload().get("key").asString());
            }
        }
        return state;
    }

    /** Records received more than once (a key's version twice). */
    private static Set<String> duplicates(List<SseClient.Received> events) {
        Set<String> seen = new HashSet<>();
        Set<String> twice = new HashSet<>();
        for (SseClient.Received e : events) {
            if (e.event().equals("training_progress")) {
                String record = e.payload().get("task_id").asString() + "@" + e.payload().get("version").asInt();
                if (!seen.add(record)) {
                    twice.add(record);
                }
            }
        }
        return twice;
    }

    /** The events after {@code end} (the snapshot's), pings left out. */
    private static List<SseClient.Received> liveAfter(List<SseClient.Received> all, SseClient.Received end) {
        return all.subList(all.indexOf(end) + 1, all.size()).stream().filter(e -> !e.event().equals("ping")).toList();
    }
}
