package dev.ssebridge.bridge.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ssebridge.bridge.support.BridgeFixture;
import dev.ssebridge.bridge.support.RawHttp;
import dev.ssebridge.bridge.support.RunningBridge;
import dev.ssebridge.bridge.support.SseClient;
import dev.ssebridge.testsupport.TestTokens;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A route, {@code /api/v1/sse/portfolios/{portfolio}}, over the dashboard channel: the path's value is the one key
 * streamed and the {@code params.portfolio} a policy reads ({@code params.portfolio in claims.portfolios}). A caller
 * gets its portfolio's records only, none of a portfolio its token does not name, resumes exactly; a path value that
 * is not a plain key is a 400 naming the parameter, an unknown route a 404.
 */
class RoutedStreamIT {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @RegisterExtension
    static final BridgeFixture fixture = BridgeFixture.withPartitions(2).settings(Map.of(
            "bridge.security.enabled", "true",
            "bridge.security.hmac-secret", TestTokens.SECRET,
            "bridge.routes.portfolios.channel", "dashboard",
            "bridge.routes.portfolios.parameter", "portfolio",
            "bridge.channels.dashboard.policy", "params.portfolio in claims.portfolios"));

    @Test
    void aRouteStreamsItsKeyToACallerItsTokenAllowsAndNothingToOneItDoesNot() {
        RunningBridge bridge = fixture.bridge();
        Map<String, String> alice = bearer("alice", "portfolio-001", "portfolio-003");
        Map<String, String> bob = bearer("bob", "portfolio-002");
        try (SseClient mine = bridge.connect("/api/v1/sse/portfolios/portfolio-001", alice);
             SseClient notMine = bridge.connect("/api/v1/sse/portfolios/portfolio-001", bob);
             SseClient bobs = bridge.connect("/api/v1/sse/portfolios/portfolio-002", bob)) {
            mine.awaitConnected();
            notMine.awaitConnected();
            bobs.awaitConnected();
            for (int i = 0; i < 6; i++) {
                update("portfolio-00" + (1 + i % 3), i);
            }
            List<SseClient.Received> got = mine.awaitNamed("dashboard_update", 2, WAIT);
            assertThat(got).extracting(e -> e.payload().get("portfolio_id").asString())
                    .containsOnly("portfolio-001");
            assertThat(bobs.awaitNamed("dashboard_update", 2, WAIT))
                    .extracting(e -> e.payload().get("portfolio_id").asString()).containsOnly("portfolio-002");

            // A resume from alice's first update: the next of her portfolio, exactly.
            String cursor = SseClient.lastEventId(got.subList(0, 1));
            Map<String, String> resume = new java.util.HashMap<>(alice);
            resume.put("Last-Event-ID", cursor);
            try (SseClient resumed = bridge.connect("/api/v1/sse/portfolios/portfolio-001", resume)) {
                assertThat(resumed.awaitNamed("dashboard_update", 1, WAIT)).extracting(e -> e.payload().get("seq").asInt())
                        .containsExactly(got.get(1).payload().get("seq").asInt());
            }
            update("portfolio-001", 99);
            mine.awaitNamed("dashboard_update", 3, WAIT);
            assertThat(notMine.named("dashboard_update")).as("a portfolio bob's token does not name").isEmpty();
        }
    }

    @Test
    void aPathValueThatIsNotAPlainKeyIsA400NamingTheParameterAndAnUnknownRouteA404() {
        int port = fixture.bridge().port();
        String token = "Authorization: Bearer " + TestTokens.token("carol", "sse:*");
        for (String value : List.of("..", ".", "a%2Fb", "%2E%2E", ".*", "p%00", "%C3%A9t%C3%A9", "a%20b", "x".repeat(300))) {
            RawHttp.Response response = RawHttp.exchange("127.0.0.1", port,
                    RawHttp.get("/api/v1/sse/portfolios/" + value, token), WAIT);
            assertThat(response.status()).as(value).isIn(400, 404);
            assertThat(response.headers().get("content-type")).as(value).isEqualTo("application/problem+json");
            JsonNode body = JSON.readTree(response.body());
            assertThat(body.get("status").asInt()).as(value).isEqualTo(response.status());
            if (body.has("parameter")) {
                assertThat(body.get("parameter").asString()).as(value).isEqualTo("portfolio");
            } else {
                assertThat(body.get("type").asString()).as(value + ": refused before routing")
                        .endsWith("/rejected-request");
            }
        }
        for (String path : List.of("/api/v1/sse/nowhere/x", "/api/v1/sse/portfolios/a/b")) {
            RawHttp.Response response = RawHttp.exchange("127.0.0.1", port, RawHttp.get(path, token), WAIT);
            assertThat(response.status()).as(path).isEqualTo(404);
            assertThat(response.headers().get("content-type")).as(path).isEqualTo("application/problem+json");
        }
        JsonNode unknown = JSON.readTree(RawHttp.exchange("127.0.0.1", port,
                RawHttp.get("/api/v1/sse/nowhere/x", token), WAIT).body());
        assertThat(unknown.get("known_channels").toString()).as("what exists, routes included")
                .contains("portfolios/{portfolio}", "dashboard");
        RawHttp.Response history = RawHttp.exchange("127.0.0.1", port,
                RawHttp.get("/api/v1/sse/history/training", "Authorization: Bearer " + TestTokens.token("c", "sse:*")), WAIT);
        assertThat(history.status()).as("history is not a route").isEqualTo(200);
    }

    private static int seq;

    private static void update(String portfolio, int n) {
        fixture.producer().send(fixture.topic("dashboard"), portfolio, """
                {"update_type":"metrics","portfolio_id":"%s","seq":%d,"data":{"total_value":%d}}"""
                .formatted(portfolio, ++seq, n));
    }

    private static Map<String, String> bearer(String subject, String... portfolios) {
        return Map.of("Authorization", "Bearer " + TestTokens.token(subject, "sse:*", Duration.ofMinutes(10),
                Map.of("portfolios", List.of(portfolios))));
    }
}
