package dev.ssebridge.bridge.where;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cel.common.values.NullValue;
import dev.ssebridge.bridge.support.BridgeFixture;
import dev.ssebridge.bridge.support.RunningBridge;
import dev.ssebridge.bridge.support.SseClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code ?where=} through a real broker and HTTP, on every path an event takes: randomly generated expressions
 * ({@link WhereReference}'s grammar) on randomly generated records, each answered by the reference evaluation,
 * against what the bridge sends live, in a replay from Kafka, in a snapshot and in a history answer; and a
 * filtered stream resumed from its last id gets exactly the matching records it had not had.
 */
class WhereIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int RECORDS = 40;

    @RegisterExtension
    final BridgeFixture fixture = BridgeFixture.withPartitions(2).startedByEachTest();

    @Test
    void liveReplaySnapshotAndHistoryFilterAsTheReferenceEvaluates() {
        Random random = new Random(2026);
        WhereReference grammar = new WhereReference(random);
        List<Object> before = records(grammar, "a");
        // A small ring: replays and history read most records from Kafka, the newest from memory.
        fixture.start(Map.of("bridge.ring.max-events", "10"));

        List<WhereReference.Expr> expressions = new ArrayList<>();
        List<SseClient> live = new ArrayList<>();
        for (int e = 0; e < 10; e++) {
            WhereReference.Expr expression = grammar.expression(3);
            expressions.add(expression);
            live.add(connect("/api/v1/sse/training", expression.render(random)));
        }
        live.forEach(SseClient::awaitConnected);
        List<Object> after = records(grammar, "b");
        int matchedSomewhere = 0;
        for (int e = 0; e < expressions.size(); e++) {
            WhereReference.Expr expression = expressions.get(e);
            String text = expression.render(random);
            List<String> expectedBefore = matching(expression, before, "a");
            List<String> expectedAfter = matching(expression, after, "b");
            List<String> expectedAll = new ArrayList<>(expectedBefore);
            expectedAll.addAll(expectedAfter);
            matchedSomewhere += expectedAll.isEmpty() ? 0 : 1;
            try (SseClient replay = connect("/api/v1/sse/training?from=earliest", text);
                 SseClient snapshot = connect("/api/v1/sse/training?snapshot=true", text)) {
                awaitKeys(live.get(e), expectedAfter, text);
                awaitKeys(replay, expectedAll, text);
                snapshot.awaitNamed("snapshot_end", 1, WAIT);
                // Every record has a key of its own: the snapshot holds all of them, in each partition's order.
                assertThat(keys(snapshot)).as("snapshot, %s", text).containsExactlyInAnyOrderElementsOf(expectedAll);
            }
            JsonNode history = JSON.readTree(fixture.bridge().getEncoded("/api/v1/sse/history/training?since=PT1H&limit=1000"
                    + "&where=" + RunningBridge.encode(text)));
            List<String> historyKeys = new ArrayList<>();
            history.get("events").forEach(event -> historyKeys.add(event.get("data").get("key").asString()));
            assertThat(historyKeys).as("history, %s", text).containsExactlyInAnyOrderElementsOf(expectedAll);
        }
        live.forEach(SseClient::close);
        assertThat(matchedSomewhere).as("expressions that match something").isGreaterThan(2);
    }

    @Test
    void aFilteredStreamResumesExactly() {
        fixture.start(Map.of());
        String expression = "data.n % 3 == 0";
        SseClient first = connect("/api/v1/sse/training", expression);
        first.awaitConnected();
        for (int n = 0; n < 30; n++) {
            send("k" + n, Map.of("key", "k" + n, "n", n));
        }
        first.awaitNamed("training_progress", 10, WAIT);
        first.close();
        List<SseClient.Received> seen = first.all();
        for (int n = 30; n < 60; n++) {
            send("k" + n, Map.of("key", "k" + n, "n", n));
        }
        try (SseClient resumed = fixture.bridge().connectEncoded("/api/v1/sse/training?where="
                + RunningBridge.encode(expression), Map.of("Last-Event-ID", SseClient.lastEventId(seen)))) {
            resumed.awaitNamed("training_progress", 10, WAIT);
            List<Integer> all = new ArrayList<>();
            seen.stream().filter(r -> r.event().equals("training_progress"))
                    .forEach(r -> all.add(r.payload().get("n").asInt()));
            resumed.named("training_progress").forEach(r -> all.add(r.payload().get("n").asInt()));
            List<Integer> expected = new ArrayList<>();
            for (int n = 0; n < 60; n += 3) {
                expected.add(n);
            }
            // Every match once, none lost or repeated across the resume; Kafka orders records within a partition
            // only, and the keys spread over two.
            assertThat(all).containsExactlyInAnyOrderElementsOf(expected);
        }
    }

    private SseClient connect(String path, String expression) {
        return fixture.bridge().connectEncoded(path + (path.contains("?") ? "&" : "?") + "where="
                + RunningBridge.encode(expression), Map.of());
    }

    /** {@value RECORDS} random records, each an object under its own key (so a snapshot holds every one). */
    private List<Object> records(WhereReference grammar, String prefix) {
        List<Object> records = new ArrayList<>();
        for (int i = 0; i < RECORDS; i++) {
            Object value = grammar.record();
            Map<String, Object> record = new LinkedHashMap<>();
            if (value instanceof Map<?, ?> map) {
                map.forEach((k, v) -> record.put((String) k, v));
            } else {
                record.put("a", value);
            }
            record.put("key", prefix + i);
            records.add(record);
            send(prefix + i, record);
        }
        fixture.producer().flush();
        return records;
    }

    private void send(String key, Map<String, ?> record) {
        fixture.producer().sendAsync(fixture.topic("training"), key, JSON.writeValueAsBytes(plain(record)));
        fixture.producer().flush();
    }

    private static List<String> matching(WhereReference.Expr expression, List<Object> records, String prefix) {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < records.size(); i++) {
            if (Boolean.TRUE.equals(expression.eval(records.get(i)))) {
                keys.add(prefix + i);
            }
        }
        return keys;
    }

    private static void awaitKeys(SseClient client, List<String> expected, String text) {
        org.awaitility.Awaitility.await().atMost(WAIT).untilAsserted(() ->
                assertThat(keys(client)).as("%s", text).containsExactlyInAnyOrderElementsOf(expected));
    }

    private static List<String> keys(SseClient client) {
        return client.named("training_progress").stream().map(r -> r.payload().get("key").asString()).toList();
    }

    /** The tree with CEL's null as Java null, for Jackson. */
    private static Object plain(Object tree) {
        if (tree == NullValue.NULL_VALUE) {
            return null;
        }
        if (tree instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> out.put((String) k, plain(v)));
            return out;
        }
        if (tree instanceof List<?> list) {
            List<Object> out = new ArrayList<>();
            list.forEach(v -> out.add(plain(v)));
            return out;
        }
        return tree;
    }
}
