package dev.ssebridge.bridge.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ssebridge.bridge.support.BridgeFixture;
import dev.ssebridge.bridge.support.RunningBridge;
import dev.ssebridge.bridge.support.SseClient;
import dev.ssebridge.testsupport.TestProducer;
import dev.ssebridge.testsupport.TestTokens;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The bridge locked down with one setting and an HMAC secret: tokens in the header, the query (EventSource)
 * or a cookie; per-channel grants from the {@code scope} claim; status, history and actuator rules; streams
 * that end at token expiry and resume exactly with a fresh token; tokens never in logs or error bodies.
 */
@ExtendWith(OutputCaptureExtension.class)
class SecurityIT {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @RegisterExtension
    static final BridgeFixture fixture = BridgeFixture.withPartitions(2).settings(Map.of(
            "bridge.security.enabled", "true",
            "bridge.security.hmac-secret", TestTokens.SECRET,
            "bridge.security.issuer", TestTokens.ISSUER,
            "bridge.access-log", "true",
            "bridge.cors.allowed-origins", "https://desk.example.test",
            "bridge.cors.allow-credentials", "true",
            "bridge.stream.ping-interval", "200ms"));

    @Test
    void withoutATokenEveryDataEndpointIs401WithAProblem() {
        for (String path : List.of("/api/v1/sse/training", "/api/v1/sse/stream?channels=training",
                "/api/v1/sse/history/training", "/api/v1/sse/status", "/actuator/prometheus")) {
            ResponseEntity<String> response = get(path, Map.of());
            assertThat(response.getStatusCode().value()).as(path).isEqualTo(401);
            assertThat(response.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
            assertThat(response.getHeaders().getFirst(HttpHeaders.WWW_AUTHENTICATE)).startsWith("Bearer");
            assertThat(json(response).get("detail").asString()).contains("bearer token is required");
        }
        // Probes carry no token; the page and the API docs hold no data.
        assertThat(get("/actuator/health", Map.of()).getStatusCode().value()).isEqualTo(200);
        ResponseEntity<String> docs = get("/v3/api-docs", Map.of());
        assertThat(docs.getStatusCode().value()).isEqualTo(200);
        JsonNode api = json(docs);
        assertThat(api.at("/components/securitySchemes/bearer/scheme").asString()).isEqualTo("bearer");
        assertThat(api.at("/components/securitySchemes/access_token/in").asString()).isEqualTo("query");
        assertThat(api.at("/components/securitySchemes/cookie/name").asString()).isEqualTo("sse_token");
        for (String response : List.of("401", "403", "429")) {
            assertThat(api.at("/paths/~1api~1v1~1sse~1stream/get/responses/" + response).isMissingNode()).as(response).isFalse();
        }
        assertThat(get("/", Map.of()).getStatusCode().value()).isEqualTo(200);
    }

    @Test
    void expiredForgedWrongIssuerAndUnsignedTokensAre401AndNotEchoed() {
        Map<String, String> bad = Map.of(
                "expired", TestTokens.sign(TestTokens.claims("u1", "sse:training",
                        Instant.now().minus(Duration.ofMinutes(5)), TestTokens.ISSUER), TestTokens.SECRET),
                "signature", TestTokens.sign(TestTokens.claims("u1", "sse:training",
                        Instant.now().plus(Duration.ofMinutes(5)), TestTokens.ISSUER), "another-secret-of-at-least-32-bytes-xxxxx"),
                "issuer", TestTokens.sign(TestTokens.claims("u1", "sse:training",
                        Instant.now().plus(Duration.ofMinutes(5)), "https://evil.example.test"), TestTokens.SECRET),
                "alg none", TestTokens.unsigned(TestTokens.claims("u1", "sse:training",
                        Instant.now().plus(Duration.ofMinutes(5)), TestTokens.ISSUER)),
                "garbage", "not-a-jwt");
        bad.forEach((what, token) -> {
            for (ResponseEntity<String> response : List.of(
                    get("/api/v1/sse/training", Map.of(HttpHeaders.AUTHORIZATION, "Bearer " + token)),
                    get("/api/v1/sse/training?access_token=" + token, Map.of()))) {
                assertThat(response.getStatusCode().value()).as(what).isEqualTo(401);
                assertThat(response.getHeaders().getFirst(HttpHeaders.WWW_AUTHENTICATE)).as(what)
                        .contains("invalid_token");
                assertThat(response.getBody()).as(what).doesNotContain(token);
                assertThat(json(response).get("instance").asString()).isEqualTo("/api/v1/sse/training");
            }
        });
        Map<String, String> named = Map.of("expired", "expired at", "signature", "signature does not verify",
                "issuer", "issuer", "alg none", "unsigned (alg: none)", "garbage", "not a JWT");
        named.forEach((what, words) -> assertThat(json(get("/api/v1/sse/training",
                Map.of(HttpHeaders.AUTHORIZATION, "Bearer " + bad.get(what)))).get("detail").asString())
                .as(what).startsWith("The bearer token was refused: ").contains(words));
    }

    @Test
    void aTokenForTrainingOpensTrainingOnly() {
        String token = TestTokens.token("desk-7", "openid sse:training");
        Map<String, String> auth = Map.of(HttpHeaders.AUTHORIZATION, "Bearer " + token);
        try (SseClient training = fixture.bridge().connect("/api/v1/sse/training", auth)) {
            training.awaitConnected();
        }
        ResponseEntity<String> alerts = get("/api/v1/sse/alerts", auth);
        assertThat(alerts.getStatusCode().value()).isEqualTo(403);
        assertThat(json(alerts).get("channels").toString()).isEqualTo("[\"alerts\"]");
        ResponseEntity<String> multi = get("/api/v1/sse/stream?channels=training,alerts,dashboard", auth);
        assertThat(multi.getStatusCode().value()).isEqualTo(403);
        assertThat(multi.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(json(multi).get("detail").asString()).contains("'alerts'").contains("'dashboard'")
                .doesNotContain("'training'");
        // History follows the channel grants; status and metrics want the admin grant.
        assertThat(get("/api/v1/sse/history/training", auth).getStatusCode().value()).isEqualTo(200);
        assertThat(get("/api/v1/sse/history/alerts", auth).getStatusCode().value()).isEqualTo(403);
        assertThat(get("/api/v1/sse/status", auth).getStatusCode().value()).isEqualTo(403);
        assertThat(get("/actuator/prometheus", auth).getStatusCode().value()).isEqualTo(403);
        Map<String, String> admin = Map.of(HttpHeaders.AUTHORIZATION, "Bearer " + TestTokens.token("ops", "sse:admin"));
        assertThat(get("/api/v1/sse/status", admin).getStatusCode().value()).isEqualTo(200);
        assertThat(get("/actuator/prometheus", admin).getStatusCode().value()).isEqualTo(200);
        try (SseClient all = fixture.bridge().connect("/api/v1/sse/stream?channels=training,alerts,dashboard", admin)) {
            all.awaitConnected();
        }
    }

    @Test
    void tokenInTheQueryOrACookieWorksAndNeverReachesTheLogs(CapturedOutput output) {
        String token = TestTokens.token("browser-1", "sse:training sse:alerts");
        RunningBridge bridge = fixture.bridge();
        try (SseClient query = bridge.connect("/api/v1/sse/stream?channels=training,alerts&access_token=" + token);
             SseClient cookie = bridge.connect("/api/v1/sse/training", Map.of(HttpHeaders.COOKIE, "sse_token=" + token))) {
            query.awaitConnected();
            cookie.awaitConnected();
        }
        // A refused one too: error paths log as well.
        assertThat(get("/api/v1/sse/dashboard?access_token=" + token, Map.of()).getStatusCode().value()).isEqualTo(403);
        await().atMost(WAIT).until(() -> output.getOut().contains("access_token=[redacted]"));
        assertThat(output.getOut() + output.getErr()).doesNotContain(token)
                .doesNotContain(token.substring(token.lastIndexOf('.') + 1));
        // Two ways at once is ambiguous: refused.
        assertThat(get("/api/v1/sse/training?access_token=" + token, Map.of(HttpHeaders.AUTHORIZATION, "Bearer " + token))
                .getStatusCode().value()).isIn(400, 401);
    }

    @Test
    void aStreamEndsAtTokenExpiryAndResumesExactlyWithAFreshToken() throws Exception {
        String topic = fixture.topic("training");
        String shortLived = TestTokens.token("desk-9", "sse:training", Duration.ofSeconds(3));
        List<Integer> received = new ArrayList<>();
        TestProducer producer = fixture.producer();
        try (SseClient first = fixture.bridge().connect("/api/v1/sse/training?access_token=" + shortLived)) {
            first.awaitConnected();
            for (int seq = 0; seq < 10; seq++) {
                producer.send(topic, "k" + seq, "{\"seq\":" + seq + "}");
            }
            first.awaitNamed("training_progress", 10, WAIT);
            await().atMost(WAIT).until(first::isCompleted);
            SseClient.Received end = first.named("stream_end").get(0);
            assertThat(end.payload().get("reason").asString()).isEqualTo("token_expired");
            assertThat(end.id()).isNotNull();
            received.addAll(first.seqs("training_progress"));
            // Produced while the client is away for a new token.
            for (int seq = 10; seq < 20; seq++) {
                producer.send(topic, "k" + seq, "{\"seq\":" + seq + "}");
            }
            String fresh = TestTokens.token("desk-9", "sse:training");
            try (SseClient second = fixture.bridge().connect("/api/v1/sse/training?access_token=" + fresh,
                    Map.of("Last-Event-ID", first.lastEventId()))) {
                second.awaitNamed("training_progress", 10, WAIT);
                for (int seq = 20; seq < 25; seq++) {
                    producer.send(topic, "k" + seq, "{\"seq\":" + seq + "}");
                }
                second.awaitNamed("training_progress", 15, WAIT);
                received.addAll(second.seqs("training_progress"));
            }
        }
        assertThat(received).containsExactlyInAnyOrderElementsOf(IntStream.range(0, 25).boxed().toList());
    }

    @Test
    void aSecondConnectionWithTheSameClientIdReplacesTheFirstOfTheSameSubjectOnly() {
        Map<String, String> alice = Map.of(HttpHeaders.AUTHORIZATION, "Bearer " + TestTokens.token("alice", "sse:training"));
        Map<String, String> bob = Map.of(HttpHeaders.AUTHORIZATION, "Bearer " + TestTokens.token("bob", "sse:training"));
        try (SseClient stale = fixture.bridge().connect("/api/v1/sse/training?client_id=tab-1", alice);
             SseClient other = fixture.bridge().connect("/api/v1/sse/training?client_id=tab-1", bob)) {
            stale.awaitConnected();
            other.awaitConnected();
            try (SseClient fresh = fixture.bridge().connect("/api/v1/sse/training?client_id=tab-1", alice)) {
                fresh.awaitConnected();
                await().atMost(WAIT).until(stale::isCompleted);
                assertThat(stale.named("stream_end").get(0).payload().get("reason").asString()).isEqualTo("replaced");
                assertThat(stale.error()).isNull();
                // Bob's stream with the same client id is someone else's: untouched, still pinged.
                int pings = other.named("ping").size();
                fresh.awaitNamed("ping", 2, WAIT);
                other.awaitNamed("ping", pings + 2, WAIT);
                assertThat(other.isCompleted()).isFalse();
                assertThat(fresh.isCompleted()).isFalse();
            }
        }
    }

    @Test
    void corsPreflightIsAnsweredForAllowedOriginsOnlyAndNeedsNoToken() {
        ResponseEntity<String> allowed = preflight("https://desk.example.test");
        assertThat(allowed.getStatusCode().value()).isEqualTo(200);
        assertThat(allowed.getHeaders().getAccessControlAllowOrigin()).isEqualTo("https://desk.example.test");
        assertThat(allowed.getHeaders().getAccessControlAllowCredentials()).isTrue();
        ResponseEntity<String> refused = preflight("https://evil.example.test");
        assertThat(refused.getStatusCode().value()).isEqualTo(403);
        assertThat(refused.getHeaders().getAccessControlAllowOrigin()).isNull();
        // The actual request from an allowed origin carries the CORS headers too.
        Map<String, String> headers = Map.of(HttpHeaders.ORIGIN, "https://desk.example.test",
                HttpHeaders.AUTHORIZATION, "Bearer " + TestTokens.token("u", "sse:training"));
        assertThat(get("/api/v1/sse/history/training", headers).getHeaders().getAccessControlAllowOrigin())
                .isEqualTo("https://desk.example.test");
        assertThat(get("/api/v1/sse/history/training", Map.of(HttpHeaders.ORIGIN, "https://evil.example.test",
                HttpHeaders.AUTHORIZATION, "Bearer " + TestTokens.token("u", "sse:training"))).getStatusCode().value())
                .isEqualTo(403);
    }

    private static ResponseEntity<String> preflight(String origin) {
        return fixture.bridge().webClient().options().uri("/api/v1/sse/training")
                .header(HttpHeaders.ORIGIN, origin)
                .header(HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD, "GET")
                .header(HttpHeaders.ACCESS_CONTROL_REQUEST_HEADERS, "authorization,last-event-id")
                .exchangeToMono(r -> r.toEntity(String.class)).block(WAIT);
    }

    private static ResponseEntity<String> get(String path, Map<String, String> headers) {
        return fixture.bridge().webClient().get().uri(path).headers(h -> headers.forEach(h::set))
                .accept(MediaType.TEXT_EVENT_STREAM, MediaType.APPLICATION_JSON, MediaType.ALL)
                .exchangeToMono(r -> r.statusCode().value() == 200 && r.headers().contentType()
                        .filter(MediaType.TEXT_EVENT_STREAM::isCompatibleWith).isPresent()
                        ? r.releaseBody().thenReturn(ResponseEntity.status(200).headers(r.headers().asHttpHeaders()).body(""))
                        : r.toEntity(String.class))
                .block(WAIT);
    }

    private static JsonNode json(ResponseEntity<String> response) {
        return JSON.readTree(response.getBody());
    }
}
