package dev.ssebridge.bridge.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ssebridge.bridge.kafka.FamilyTails;
import dev.ssebridge.bridge.support.BridgeFixture;
import dev.ssebridge.bridge.support.RawHttp;
import dev.ssebridge.bridge.support.RunningBridge;
import dev.ssebridge.bridge.support.SseClient;
import dev.ssebridge.testsupport.TestKafka;
import dev.ssebridge.testsupport.TestTokens;
import dev.ssebridge.testsupport.TestTopics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A family of topics, {@code /api/v1/sse/backtests/{strategy}} over the topics {@code <prefix>.<strategy>}: a topic's
 * tail starts with its first stream and stops after its idle timeout, at most {@code max-topics} at once; a value
 * outside the allow-list, a topic that does not exist and one the family's access rule refuses the caller get the
 * same 404; cursors name the topic, so a resume on another instance is exact.
 */
class FamilyIT {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String IDLE = "400ms";

    /** Each test its own topics' prefix, and so its own family of topics. */
    private final String prefix = TestTopics.freshName("bt");

    @RegisterExtension
    final BridgeFixture fixture = BridgeFixture.withPartitions(1).startedByEachTest();

    private RunningBridge start(Map<String, Object> more) {
        Map<String, Object> settings = new HashMap<>(familySettings());
        settings.putAll(more);
        return fixture.start(settings);
    }

    private Map<String, Object> familySettings() {
        return Map.of(
                "bridge.security.enabled", "true",
                "bridge.security.hmac-secret", TestTokens.SECRET,
                "bridge.security.status-access", "public",
                "bridge.families.backtests.topic", prefix + ".{strategy}",
                "bridge.families.backtests.parameter", "strategy",
                "bridge.families.backtests.allow", "[a-z][a-z0-9-]{0,30}",
                "bridge.families.backtests.event-name", "backtest_progress",
                "bridge.families.backtests.idle-timeout", IDLE,
                "bridge.families.backtests.access", "params.strategy in claims.strategies");
    }

    @Test
    void aTopicStreamsFromItsFirstSubscriberToTheCallersItsPolicyAllowsAndResumesExactlyOnAnotherInstance() {
        createTopics(2, "momentum", "carry");
        RunningBridge bridge = start(Map.of());
        Map<String, String> alice = bearer("alice", "momentum", "carry");
        Map<String, String> bob = bearer("bob", "carry");
        List<SseClient.Received> got;
        assertThat(RawHttp.exchange("127.0.0.1", bridge.port(), RawHttp.get("/api/v1/sse/backtests/momentum",
                header(bob)), WAIT).status()).as("a strategy bob's token does not name").isEqualTo(404);
        try (SseClient momentum = bridge.connect("/api/v1/sse/backtests/momentum", alice);
             SseClient carry = bridge.connect("/api/v1/sse/backtests/carry", bob)) {
            momentum.awaitConnected();
            carry.awaitConnected();
            for (int i = 1; i <= 4; i++) {
                progress("momentum", i);
                progress("carry", 100 + i);
            }
            got = momentum.awaitNamed("backtest_progress", 4, WAIT);
            assertThat(got).extracting(e -> e.payload().get("seq").asInt()).containsExactly(1, 2, 3, 4);
            assertThat(carry.awaitNamed("backtest_progress", 4, WAIT)).extracting(e -> e.payload().get("seq").asInt())
                    .containsExactly(101, 102, 103, 104);
            progress("momentum", 5);
            momentum.awaitNamed("backtest_progress", 5, WAIT);
            assertThat(bridge.bean(FamilyTails.class).figures("backtests").running()).isEqualTo(2);
        }

        // Another instance has never read the topic: the cursor names it, and the resume is exact.
        RunningBridge other = fixture.startAnother(familySettings());
        Map<String, String> resume = new HashMap<>(alice);
        resume.put("Last-Event-ID", SseClient.lastEventId(got.subList(0, 2)));
        try (SseClient resumed = other.connect("/api/v1/sse/backtests/momentum", resume)) {
            assertThat(resumed.awaitNamed("backtest_progress", 3, WAIT)).extracting(e -> e.payload().get("seq").asInt())
                    .containsExactly(3, 4, 5);
        }
        RawHttp.Response elsewhere = RawHttp.exchange("127.0.0.1", other.port(), RawHttp.get(
                "/api/v1/sse/backtests/carry", header(resume)), WAIT);
        assertThat(elsewhere.status()).as("a cursor of another topic of the family").isEqualTo(400);
    }

    @Test
    void aTopicOutsideTheAllowListAndATopicThatDoesNotExistGetTheSame404AndLeaveNothingBehind() {
        createTopics(1, "exists", "others");
        RunningBridge bridge = start(Map.of());
        String[] token = header(bearer("carol", "exists", "missing", "Upper"));
        JsonNode missing = notFound(bridge, "missing");
        JsonNode refused = notFound(bridge, "Upper");
        JsonNode notHers = notFound(bridge, "others");
        assertThat(normalised(missing, "missing")).isEqualTo(normalised(refused, "Upper"))
                .as("a topic that exists but her token does not name").isEqualTo(normalised(notHers, "others"));
        assertThat(missing.get("known_channels").toString()).contains("backtests/{strategy}");

        // A flood of names: each a look-up, none kept.
        for (int i = 0; i < 200; i++) {
            assertThat(RawHttp.exchange("127.0.0.1", bridge.port(),
                    RawHttp.get("/api/v1/sse/backtests/nothing-" + i, token), WAIT).status()).isEqualTo(404);
            assertThat(RawHttp.exchange("127.0.0.1", bridge.port(),
                    RawHttp.get("/api/v1/sse/backtests/N" + i, token), WAIT).status()).isEqualTo(404);
        }
        FamilyTails.FamilyFigures figures = bridge.bean(FamilyTails.class).figures("backtests");
        assertThat(figures.running()).isZero();
        assertThat(figures.started()).isZero();
        assertThat(figures.notServed()).as("each refusal once, though route and WebFlux both looked").isEqualTo(403);
        assertThat(bridge.openKafkaConsumers()).as("only the configured channels' tails").isEqualTo(4);
        JsonNode status = JSON.readTree(bridge.get("/api/v1/sse/status"));
        assertThat(status.at("/families/backtests/tails_running").asInt()).isZero();
        assertThat(status.at("/families/backtests/refused_not_served").asInt()).isEqualTo(403);
        assertThat(status.toString()).as("status names no topic of the family").doesNotContain(prefix + ".exists");

        // A value that is not a plain one is a 400 naming the parameter, or refused before routing.
        for (String value : List.of("..", "a%2Fb", "%2E%2E", ".*", "p%00", "%C3%A9t%C3%A9", "a%20b", "x".repeat(300))) {
            RawHttp.Response response = RawHttp.exchange("127.0.0.1", bridge.port(),
                    RawHttp.get("/api/v1/sse/backtests/" + value, token), WAIT);
            assertThat(response.status()).as(value).isIn(400, 404);
            assertThat(response.headers().get("content-type")).as(value).isEqualTo("application/problem+json");
            JsonNode body = JSON.readTree(response.body());
            if (body.has("parameter")) {
                assertThat(body.get("parameter").asString()).as(value).isEqualTo("strategy");
            } else {
                assertThat(body.get("type").asString()).as(value).matches(".*/(rejected-request|unknown-channel)");
            }
        }
        assertThat(bridge.bean(FamilyTails.class).figures("backtests").started()).isZero();
    }

    @Test
    void atMostMaxTopicsRunAtOnceAndAnIdleTailStopsAndClosesItsConsumer() {
        createTopics(1, "one", "two", "three");
        RunningBridge bridge = start(Map.of("bridge.families.backtests.max-topics", "2",
                "bridge.security.actuator-access", "public"));
        Map<String, String> token = bearer("dave", "one", "two", "three");
        FamilyTails tails = bridge.bean(FamilyTails.class);
        int configured = bridge.openKafkaConsumers();
        try (SseClient one = bridge.connect("/api/v1/sse/backtests/one", token)) {
            one.awaitConnected();
            try (SseClient two = bridge.connect("/api/v1/sse/backtests/two", token)) {
                two.awaitConnected();
                RawHttp.Response full = RawHttp.exchange("127.0.0.1", bridge.port(),
                        RawHttp.get("/api/v1/sse/backtests/three", header(token)), WAIT);
                assertThat(full.status()).isEqualTo(503);
                assertThat(full.headers().get("content-type")).isEqualTo("application/problem+json");
                assertThat(full.headers().get("retry-after")).isEqualTo("1");
                assertThat(JSON.readTree(full.body()).get("type").asString()).endsWith("/family-full");
                assertThat(tails.figures("backtests").running()).isEqualTo(2);
                assertThat(tails.figures("backtests").refusedFull()).isEqualTo(1);
                await().atMost(WAIT).until(() -> bridge.openKafkaConsumers() == configured + 2);
                progress("two", 1);
                two.awaitNamed("backtest_progress", 1, WAIT);
            }
            // two's stream ended; its tail stops after the idle timeout, and its consumer closes
            await().atMost(WAIT).until(() -> tails.figures("backtests").stopped() == 1);
            await().atMost(WAIT).until(() -> bridge.openKafkaConsumers() == configured + 1);
            assertThat(tails.figures("backtests").running()).as("one is still streamed").isEqualTo(1);
            try (SseClient three = bridge.connect("/api/v1/sse/backtests/three", token)) {
                three.awaitConnected();
                progress("three", 7);
                assertThat(three.awaitNamed("backtest_progress", 1, WAIT)).extracting(e -> e.payload().get("seq").asInt())
                        .containsExactly(7);
            }
            progress("one", 2);
            assertThat(one.awaitNamed("backtest_progress", 1, WAIT)).extracting(e -> e.payload().get("seq").asInt())
                    .containsExactly(2);
        }
        await().atMost(WAIT).until(() -> tails.figures("backtests").running() == 0);
        await().atMost(WAIT).until(() -> bridge.openKafkaConsumers() == configured);
        assertThat(bridge.metric("ssebridge_family_tails_stopped_total", "family=\"backtests\"")).isEqualTo(3.0);
    }

    private JsonNode notFound(RunningBridge bridge, String strategy) {
        RawHttp.Response response = RawHttp.exchange("127.0.0.1", bridge.port(), RawHttp.get(
                "/api/v1/sse/backtests/" + strategy, header(bearer("carol", "exists", "missing", "Upper"))), WAIT);
        assertThat(response.status()).as(strategy).isEqualTo(404);
        assertThat(response.headers().get("content-type")).isEqualTo("application/problem+json");
        return JSON.readTree(response.body());
    }

    /** The body with the asked value replaced, so two answers can be compared as a prober would. */
    private static String normalised(JsonNode body, String value) {
        return body.toString().replace(value, "VALUE");
    }

    private void createTopics(int partitions, String... strategies) {
        List<NewTopic> topics = new ArrayList<>();
        for (String strategy : strategies) {
            topics.add(new NewTopic(prefix + "." + strategy, partitions, (short) 1));
        }
        try (Admin admin = Admin.create(TestKafka.broker().adminClientProperties())) {
            admin.createTopics(topics).all().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private void progress(String strategy, int seq) {
        fixture.producer().send(prefix + "." + strategy, "run-" + seq % 2, """
                {"strategy":"%s","seq":%d,"progress":%d}""".formatted(strategy, seq, seq));
    }

    private static String[] header(Map<String, String> headers) {
        return headers.entrySet().stream().map(e -> e.getKey() + ": " + e.getValue()).toArray(String[]::new);
    }

    private static Map<String, String> bearer(String subject, String... strategies) {
        return Map.of("Authorization", "Bearer " + TestTokens.token(subject, "sse:*", Duration.ofMinutes(10),
                Map.of("strategies", List.of(strategies))));
    }
}
