package dev.ssebridge.bridge.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import dev.ssebridge.bridge.support.BridgeFixture;
import dev.ssebridge.bridge.support.RunningBridge;
import dev.ssebridge.bridge.support.SseClient;
import dev.ssebridge.testsupport.TestTokens;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Tenants on one bridge, tried on a real broker: several callers with random claim sets (overlapping, empty, missing,
 * of the wrong type) and random records on two channels with policies and one without; every caller gets exactly the
 * records its claims allow, no more and no fewer, in order per partition, on every way a record leaves the bridge:
 * live on a multiplexed stream and on a single channel, a resume served from the ring and one from Kafka, a
 * snapshot, a conflated stream, history, and a resume on a restarted bridge. What is allowed is worked out by
 * {@link #allowed}, written here from the policies' meaning, not by the bridge's evaluator. A policy that does not
 * compile keeps the bridge from starting at all.
 */
class TenancyIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final List<String> KEYS = List.of("p0", "p1", "p2", "p3", "p4", "p5", "p6", "p7");
    private static final List<String> TEAMS = List.of("t0", "t1", "t2");
    private static final String DASHBOARD_POLICY = "record.key in claims.portfolios";
    private static final String ALERTS_POLICY = "value.team == claims.team";

    @RegisterExtension
    final BridgeFixture fixture = BridgeFixture.withPartitions(2).startedByEachTest();

    /** Every record written, in order, with where Kafka put it. */
    private final List<Written> written = new ArrayList<>();
    private final java.util.Set<String> deleted = new java.util.HashSet<>();
    private int seq;

    /** One record: its channel, key, value (null: a tombstone), and place. */
    private record Written(String channel, String key, Map<String, Object> value, int partition, long offset, int seq) {
    }

    /** A caller: a name, and the claims its token carries beside the grants. */
    private record Caller(String name, Map<String, Object> claims) {
    }

    @Test
    void everyCallerGetsExactlyWhatItsClaimsAllowOnEveryWayARecordLeaves() {
        Random random = new Random(24);
        List<Caller> callers = callers(random);
        RunningBridge bridge = fixture.start(Map.of(
                "bridge.security.enabled", "true",
                "bridge.security.hmac-secret", TestTokens.SECRET,
                "bridge.security.issuer", TestTokens.ISSUER,
                "bridge.security.history-access", "authenticated",
                "bridge.ring.max-events", "20",
                "bridge.channels.dashboard.policy", DASHBOARD_POLICY,
                "bridge.channels.alerts.policy", ALERTS_POLICY));

        Map<Caller, SseClient> multiplexed = new LinkedHashMap<>();
        Map<Caller, SseClient> alertsOnly = new LinkedHashMap<>();
        Map<Caller, SseClient> conflated = new LinkedHashMap<>();
        try {
            for (Caller caller : callers) {
                Map<String, String> auth = Map.of("Authorization", "Bearer " + token(caller));
                multiplexed.put(caller, bridge.connect("/api/v1/sse/stream?channels=dashboard,alerts,training", auth));
                alertsOnly.put(caller, bridge.connect("/api/v1/sse/alerts", auth));
                conflated.put(caller, bridge.connect("/api/v1/sse/dashboard?max_rate=2", auth));
            }
            multiplexed.values().forEach(SseClient::awaitConnected);
            alertsOnly.values().forEach(SseClient::awaitConnected);
            conflated.values().forEach(SseClient::awaitConnected);

            writeRecords(random, 240);

            for (Caller caller : callers) {
                // Live, several channels on one stream.
                List<Integer> expected = seqsAllowed(caller, List.of("dashboard", "alerts", "training"));
                SseClient live = multiplexed.get(caller);
                await().atMost(WAIT).untilAsserted(() -> assertThat(dataSeqs(live.all()))
                        .as("%s, live", caller.name()).hasSize(expected.size()));
                assertExact(caller, "live, multiplexed", dataSeqs(live.all()), expected);
                // Live, one channel: the shared bytes' path.
                List<Integer> alerts = seqsAllowed(caller, List.of("alerts"));
                await().atMost(WAIT).untilAsserted(() -> assertThat(dataSeqs(alertsOnly.get(caller).all()))
                        .hasSize(alerts.size()));
                assertExact(caller, "live, alerts", dataSeqs(alertsOnly.get(caller).all()), alerts);
                // Conflated: every allowed key ends on its latest value; nothing else is ever sent.
                Map<String, Integer> latest = latestAllowed(caller);
                await().atMost(WAIT).untilAsserted(() -> assertThat(lastPerKey(conflated.get(caller).all()))
                        .as("%s, conflated", caller.name()).isEqualTo(latest));
                assertThat(dataSeqs(conflated.get(caller).all())).as("%s, conflated: nothing outside the scope",
                        caller.name()).isSubsetOf(seqsAllowed(caller, List.of("dashboard")));
            }

            for (Caller caller : callers) {
                Map<String, String> auth = Map.of("Authorization", "Bearer " + token(caller));
                List<SseClient.Received> seen = multiplexed.get(caller).all();
                // Resumes from a cursor early in the stream (the ring holds 20 events: from Kafka) and late (the ring).
                for (double at : new double[] {0.1, 0.97}) {
                    int cut = eventIndexAt(seen, at);
                    String cursor = SseClient.lastEventId(seen.subList(0, cut + 1));
                    List<Integer> rest = dataSeqs(seen.subList(cut + 1, seen.size()));
                    try (SseClient resumed = bridge.connect("/api/v1/sse/stream?channels=dashboard,alerts,training",
                            withCursor(auth, cursor))) {
                        await().atMost(WAIT).untilAsserted(() -> assertThat(dataSeqs(resumed.all())).hasSize(rest.size()));
                        assertExact(caller, "resumed at " + at, dataSeqs(resumed.all()), rest);
                        assertThat(resumed.named("replay_gap")).as("a hidden record is no gap").isEmpty();
                    }
                }
                // A snapshot holds the latest allowed value of each key, and says how many it sent, not how many exist.
                try (SseClient snapshot = bridge.connect("/api/v1/sse/dashboard?snapshot=true", auth)) {
                    JsonNode end = snapshot.awaitNamed("snapshot_end", 1, WAIT).get(0).json().get("data");
                    Map<String, Integer> latest = latestAllowed(caller);
                    assertThat(lastPerKey(snapshot.all())).as("%s, snapshot", caller.name()).isEqualTo(latest);
                    assertThat(end.get("keys").asInt()).isEqualTo(latest.size());
                    assertThat(end.get("sent").asInt()).isEqualTo(latest.size());
                    assertThat(end.has("evicted_keys")).isFalse();
                }
                // History: every allowed record since the start, and no other.
                JsonNode history = JSON.readTree(bridge.webClient().get()
                        .uri("/api/v1/sse/history/dashboard?since=PT1H&limit=1000")
                        .header("Authorization", "Bearer " + token(caller))
                        .retrieve().bodyToMono(String.class).block(WAIT));
                List<Integer> historySeqs = new ArrayList<>();
                history.get("events").forEach(e -> {
                    if (!e.get("event").asString().equals("delete")) {
                        historySeqs.add(e.get("data").get("seq").asInt());
                    }
                });
                assertThat(historySeqs).as("%s, history", caller.name())
                        .containsExactlyInAnyOrderElementsOf(seqsAllowed(caller, List.of("dashboard")).stream()
                                .filter(s -> !isTombstone(s)).toList());
            }
        } finally {
            multiplexed.values().forEach(SseClient::close);
            alertsOnly.values().forEach(SseClient::close);
            conflated.values().forEach(SseClient::close);
        }

        // A restarted bridge (or another instance) resumes each caller exactly under the same claims.
        Map<Caller, String> cursors = new HashMap<>();
        Map<Caller, List<Integer>> before = new HashMap<>();
        for (Caller caller : callers) {
            try (SseClient client = bridge.connect("/api/v1/sse/stream?channels=dashboard,alerts&from=earliest",
                    Map.of("Authorization", "Bearer " + token(caller)))) {
                List<Integer> all = seqsAllowed(caller, List.of("dashboard", "alerts"));
                await().atMost(WAIT).untilAsserted(() -> assertThat(dataSeqs(client.all())).hasSize(all.size()));
                cursors.put(caller, client.lastEventId());
                before.put(caller, all);
            }
        }
        RunningBridge restarted = fixture.start(Map.of(
                "bridge.security.enabled", "true",
                "bridge.security.hmac-secret", TestTokens.SECRET,
                "bridge.security.issuer", TestTokens.ISSUER,
                "bridge.channels.dashboard.policy", DASHBOARD_POLICY,
                "bridge.channels.alerts.policy", ALERTS_POLICY));
        int writtenBefore = written.size();
        writeRecords(random, 60);
        for (Caller caller : callers) {
            List<Integer> after = seqsAllowed(caller, List.of("dashboard", "alerts")).stream()
                    .filter(s -> !before.get(caller).contains(s)).toList();
            assertThat(after.size()).isLessThanOrEqualTo(written.size() - writtenBefore);
            try (SseClient resumed = restarted.connect("/api/v1/sse/stream?channels=dashboard,alerts",
                    withCursor(Map.of("Authorization", "Bearer " + token(caller)), cursors.get(caller)))) {
                await().atMost(WAIT).untilAsserted(() -> assertThat(dataSeqs(resumed.all())).hasSize(after.size()));
                assertExact(caller, "resumed on a restarted bridge", dataSeqs(resumed.all()), after);
            }
        }
        RecordPolicy alerts = restarted.bean(RecordPolicies.class).all().stream()
                .filter(p -> p.name().equals("alerts")).findFirst().orElseThrow();
        assertThat(alerts.failures(RecordPolicy.Failure.EVALUATION_ERROR))
                .as("records without a team, callers without a team claim: failures, counted").isPositive();
    }

    @Test
    void aPolicyThatDoesNotCompileStopsTheBridgeNamingTheSettingAndThePosition() {
        Throwable failure = catchThrowable(() -> fixture.start(Map.of(
                "bridge.channels.alerts.policy", "record.key in")));

        assertThat(failure).as("the bridge does not start").isNotNull();
        List<Throwable> causes = new ArrayList<>();
        for (Throwable cause = failure; cause != null && !causes.contains(cause); cause = cause.getCause()) {
            causes.add(cause);
        }
        // What comes between is the CEL parser's own wording; the setting and the position are the bridge's.
        assertThat(causes).anySatisfy(cause -> assertThat(cause).isInstanceOf(IllegalArgumentException.class)
                .message().startsWith("bridge.channels.alerts.policy does not compile: ")
                .endsWith(" (at position 13, counting from 0, in: record.key in)"));
    }

    // ---- the reference: what each policy means, written from its text

    /** Whether {@code caller} may see {@code record}: the policies above, as CEL defines them. */
    private static boolean allowed(Caller caller, Written record) {
        switch (record.channel()) {
            case "dashboard": { // record.key in claims.portfolios: a list claim holding the key (a string)
                Object portfolios = caller.claims().get("portfolios");
                return portfolios instanceof List<?> list && list.contains(record.key());
            }
            case "alerts": { // value.team == claims.team: both present; equal only when both are the same string
                Object team = caller.claims().get("team");
                Object recordTeam = record.value() == null ? null : record.value().get("team");
                return team != null && recordTeam != null && team.equals(recordTeam);
            }
            default:
                return true; // training: no policy
        }
    }

    private List<Integer> seqsAllowed(Caller caller, List<String> channels) {
        return written.stream().filter(w -> channels.contains(w.channel()) && allowed(caller, w))
                .map(Written::seq).toList();
    }

    /** The latest allowed value of each dashboard key that is not deleted, by key. */
    private Map<String, Integer> latestAllowed(Caller caller) {
        Map<String, Integer> latest = new TreeMap<>();
        for (Written w : written) {
            if (w.channel().equals("dashboard") && allowed(caller, w)) {
                if (w.value() == null) {
                    latest.remove(w.key());
                } else {
                    latest.put(w.key(), w.seq());
                }
            }
        }
        return latest;
    }

    private boolean isTombstone(int s) {
        return written.stream().anyMatch(w -> w.seq() == s && w.value() == null);
    }

    // ---- the records and the callers

    private void writeRecords(Random random, int count) {
        for (int i = 0; i < count; i++) {
            int kind = random.nextInt(10);
            String channel = kind < 5 ? "dashboard" : kind < 9 ? "alerts" : "training";
            String key = KEYS.get(random.nextInt(KEYS.size()));
            int s = ++seq;
            Map<String, Object> value = new LinkedHashMap<>();
            value.put("seq", s);
            if (channel.equals("alerts") && random.nextInt(6) > 0) {
                value.put("team", TEAMS.get(random.nextInt(TEAMS.size())));
            }
            if (channel.equals("dashboard") && random.nextInt(25) == 0 && deleted.add(key)) {
                value = null; // a tombstone, at most one per key: a delete event is told apart by its key
            }
            byte[] bytes = value == null ? null : JSON.writeValueAsBytes(value);
            RecordMetadata meta = fixture.producer().send(new ProducerRecord<>(fixture.topic(channel), null,
                    key.getBytes(java.nio.charset.StandardCharsets.UTF_8), bytes));
            written.add(new Written(channel, key, value, meta.partition(), meta.offset(), s));
        }
    }

    private static List<Caller> callers(Random random) {
        List<Caller> callers = new ArrayList<>();
        callers.add(new Caller("empty portfolios", Map.of("portfolios", List.of(), "team", "t0")));
        callers.add(new Caller("no claims", Map.of()));
        callers.add(new Caller("wrong types", Map.of("portfolios", "p1", "team", 5)));
        callers.add(new Caller("numbers for keys", Map.of("portfolios", List.of(1, 2), "team", "t1")));
        callers.add(new Caller("desk a", Map.of("portfolios", List.of("p1", "p2"), "team", "t0")));
        callers.add(new Caller("desk a again", Map.of("portfolios", List.of("p1", "p2"), "team", "t0", "other", "x")));
        for (int i = 0; i < 6; i++) {
            List<String> mine = new ArrayList<>();
            for (String key : KEYS) {
                if (random.nextInt(3) == 0) {
                    mine.add(key);
                }
            }
            Map<String, Object> claims = new HashMap<>();
            claims.put("portfolios", mine);
            if (random.nextInt(4) > 0) {
                claims.put("team", TEAMS.get(random.nextInt(TEAMS.size())));
            }
            callers.add(new Caller("random " + i, claims));
        }
        return callers;
    }

    private static String token(Caller caller) {
        return TestTokens.token(caller.name().replace(' ', '-'), "sse:dashboard sse:alerts sse:training",
                Duration.ofMinutes(10), caller.claims());
    }

    // ---- what a client received

    /** The {@code seq} of every record event (and of a delete, the tombstone of its key), in arrival order. */
    private List<Integer> dataSeqs(List<SseClient.Received> events) {
        List<Integer> seqs = new ArrayList<>();
        for (SseClient.Received e : events) {
            if (e.event().equals("delete")) {
                seqs.add(tombstoneOf(e.payload().get("key").asString()));
            } else if (!List.of("connected", "ping", "snapshot_end", "replay_gap", "stream_end").contains(e.event())) {
                seqs.add(e.payload().get("seq").asInt());
            }
        }
        return seqs;
    }

    /** The seq of the one tombstone of {@code key}. */
    private int tombstoneOf(String key) {
        return written.stream().filter(w -> w.value() == null && w.key().equals(key)).map(Written::seq)
                .findFirst().orElse(-1);
    }

    private Map<String, Integer> lastPerKey(List<SseClient.Received> events) {
        Map<String, Integer> latest = new TreeMap<>();
        for (SseClient.Received e : events) {
            if (e.event().equals("dashboard_update")) {
                int s = e.payload().get("seq").asInt();
                latest.put(keyOf(s), s);
            } else if (e.event().equals("delete")) {
                latest.remove(e.payload().get("key").asString());
            }
        }
        return latest;
    }

    private String keyOf(int s) {
        return written.stream().filter(w -> w.seq() == s).findFirst().orElseThrow().key();
    }

    /** Per partition of each channel, the order Kafka gave; and the set: exactly the expected records. */
    private void assertExact(Caller caller, String path, List<Integer> got, List<Integer> expected) {
        assertThat(got).as("%s, %s: exactly the records its claims allow", caller.name(), path)
                .containsExactlyInAnyOrderElementsOf(expected);
        Map<String, List<Integer>> byPartition = new HashMap<>();
        for (int s : got) {
            Written w = written.stream().filter(x -> x.seq() == s).findFirst().orElseThrow();
            byPartition.computeIfAbsent(w.channel() + "-" + w.partition(), k -> new ArrayList<>()).add(s);
        }
        byPartition.forEach((partition, seqs) -> assertThat(seqs).as("%s, %s: in order in %s", caller.name(), path,
                partition).isSorted());
    }

    /** The index of the record event at fraction {@code at} of the events carrying records. */
    private static int eventIndexAt(List<SseClient.Received> events, double at) {
        List<Integer> records = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            if (!List.of("connected", "ping").contains(events.get(i).event())) {
                records.add(i);
            }
        }
        return records.isEmpty() ? 0 : records.get(Math.min(records.size() - 1, (int) (records.size() * at)));
    }

    private static Map<String, String> withCursor(Map<String, String> headers, String cursor) {
        Map<String, String> all = new HashMap<>(headers);
        all.put("Last-Event-ID", cursor);
        return all;
    }
}
