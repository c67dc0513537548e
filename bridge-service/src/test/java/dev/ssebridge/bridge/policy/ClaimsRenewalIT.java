package dev.ssebridge.bridge.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ssebridge.bridge.support.BridgeFixture;
import dev.ssebridge.bridge.support.RawHttp;
import dev.ssebridge.bridge.support.SseClient;
import dev.ssebridge.testsupport.TestTokens;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Claims change only with a new token: at {@code exp} the stream ends; a reconnect with a token naming other
 * portfolios and the cursor resumes exactly from where the first stream ended, under the new token's claims.
 */
class ClaimsRenewalIT {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @RegisterExtension
    static final BridgeFixture fixture = BridgeFixture.withPartitions(2).settings(Map.of(
            "bridge.security.enabled", "true",
            "bridge.security.hmac-secret", TestTokens.SECRET,
            "bridge.channels.dashboard.policy", "record.key in claims.portfolios"));

    @Test
    void aReconnectWithANewTokenResumesExactlyUnderItsClaims() {
        String shortLived = token(Duration.ofSeconds(3), "p1");
        SseClient.Received end;
        List<Integer> before;
        try (SseClient first = fixture.bridge().connect("/api/v1/sse/dashboard?snapshot=false",
                Map.of("Authorization", "Bearer " + shortLived))) {
            first.awaitConnected();
            update("p1", 1);
            update("p2", 2); // not p1's: hidden, and passed by the cursor
            update("p1", 3);
            first.awaitNamed("dashboard_update", 2, WAIT);
            await().atMost(WAIT).until(first::isCompleted);
            end = first.named("stream_end").get(0);
            assertThat(end.payload().get("reason").asString()).isEqualTo("token_expired");
            before = first.seqs("dashboard_update");
        }
        assertThat(before).containsExactly(1, 3);

        // While the client is away: records of both portfolios; its new token names both.
        update("p2", 4);
        update("p1", 5);
        update("p3", 6);
        String renewed = token(Duration.ofMinutes(10), "p1", "p2");
        try (SseClient second = fixture.bridge().connect("/api/v1/sse/dashboard",
                Map.of("Authorization", "Bearer " + renewed, "Last-Event-ID", end.id()))) {
            second.awaitConnected();
            update("p2", 7);
            update("p3", 8);
            update("p1", 9);
            second.awaitNamed("dashboard_update", 4, WAIT);
            assertThat(second.seqs("dashboard_update")).as("from the cursor, what the new claims allow, once")
                    .containsExactlyInAnyOrder(4, 5, 7, 9);
            assertThat(second.named("replay_gap")).isEmpty();
        }
    }

    @Test
    void claimsBeyondTheBoundsAreA400NamingTheClaimAndNothingElseIsDisturbed() throws Exception {
        try (SseClient other = fixture.bridge().connect("/api/v1/sse/dashboard?snapshot=false",
                Map.of("Authorization", "Bearer " + token(Duration.ofMinutes(10), "p1")))) {
            other.awaitConnected();
            // Over the bound of 1,024 elements, small enough to pass the 8 KB header limit.
            List<Integer> many = IntStream.range(0, 1_100).boxed().toList();
            Object deep = List.of("p1");
            for (int level = 0; level < 12; level++) {
                deep = Map.of("in", deep);
            }
            for (Object portfolios : List.of(many, deep)) {
                String token = TestTokens.token("trader", "sse:dashboard", Duration.ofMinutes(10),
                        Map.of("portfolios", portfolios));
                RawHttp.Response response = RawHttp.exchange("127.0.0.1", fixture.bridge().port(),
                        RawHttp.get("/api/v1/sse/dashboard", "Authorization: Bearer " + token), WAIT);
                assertThat(response.status()).isEqualTo(400);
                assertThat(response.headers().get("content-type")).isEqualTo("application/problem+json");
                assertThat(response.body()).contains("invalid-claims").contains("portfolios")
                        .doesNotContain("1099");
            }
            update("p1", 100);
            assertThat(other.awaitNamed("dashboard_update", 1, WAIT)).extracting(e -> e.payload().get("seq").asInt())
                    .containsExactly(100);
        }
    }

    private static void update(String portfolio, int seq) {
        fixture.producer().send(fixture.topic("dashboard"), portfolio, """
                {"update_type":"metrics","portfolio_id":"%s","seq":%d,"data":{}}""".formatted(portfolio, seq));
    }

    private static String token(Duration ttl, String... portfolios) {
        return TestTokens.token("trader", "sse:dashboard", ttl, Map.of("portfolios", List.of(portfolios)));
    }
}
