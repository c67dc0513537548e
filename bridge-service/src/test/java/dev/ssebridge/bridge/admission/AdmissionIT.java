package dev.ssebridge.bridge.admission;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ssebridge.bridge.support.BridgeFixture;
import dev.ssebridge.bridge.support.SseClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Admission control on a real bridge behind a (simulated) trusted proxy: per-address and total stream
 * limits at exactly N and N+1, a per-address connection rate, 429 with Retry-After, open streams
 * unaffected, and bounded inputs refused with 400 (or 431 for headers), never 500.
 */
class AdmissionIT {

    @RegisterExtension
    static final BridgeFixture fixture = BridgeFixture.withPartitions(1).settings(Map.of(
            "bridge.admission.max-connections", "6",
            "bridge.admission.max-connections-per-address", "3",
            "bridge.admission.connection-rate-per-address", "1",
            "bridge.admission.connection-burst-per-address", "5",
            "bridge.admission.client-address-header", "X-Forwarded-For",
            "bridge.stream.ping-interval", "200ms"));

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void limitsPerAddressAndInTotalAdmitNAndRefuseNPlusOne() {
        org.awaitility.Awaitility.await().atMost(WAIT).until(() -> fixture.bridge().bean(AdmissionControl.class).open() == 0);
        List<SseClient> open = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                open.add(connectFrom("192.0.2.1"));
            }
            ResponseEntity<String> fourth = get("/api/v1/sse/training", from("192.0.2.1"));
            assertRefused(fourth, "address");
            // Another address is fine, up to the instance's total of 6.
            for (String address : List.of("192.0.2.2", "192.0.2.3", "192.0.2.4")) {
                open.add(connectFrom(address));
            }
            assertRefused(get("/api/v1/sse/training", from("192.0.2.5")), "total");
            // The proxy's entry is the last one; what the client wrote before it does not count.
            assertRefused(get("/api/v1/sse/training", Map.of("X-Forwarded-For", "192.0.2.99, 192.0.2.1")), "total");
            // Streams already open did not notice.
            for (SseClient client : open) {
                int pings = client.named("ping").size();
                client.awaitNamed("ping", pings + 2, WAIT);
                assertThat(client.isCompleted()).isFalse();
            }
            // A place freed is a place for someone else.
            open.remove(0).close();
            org.awaitility.Awaitility.await().atMost(WAIT)
                    .until(() -> fixture.bridge().bean(AdmissionControl.class).open() == 5);
            open.add(connectFrom("192.0.2.5"));
        } finally {
            open.forEach(SseClient::close);
        }
    }

    @Test
    void aFloodFromOneAddressIsRateLimitedWhileAnotherConnects() {
        // Five at once are the burst; the sixth within the second is refused. Unknown channels still count.
        for (int i = 0; i < 5; i++) {
            assertThat(get("/api/v1/sse/nosuchchannel", from("198.51.100.7")).getStatusCode().value()).isEqualTo(404);
        }
        ResponseEntity<String> sixth = get("/api/v1/sse/nosuchchannel", from("198.51.100.7"));
        assertRefused(sixth, "rate");
        assertThat(Long.parseLong(sixth.getHeaders().getFirst(HttpHeaders.RETRY_AFTER))).isBetween(1L, 2L);
        try (SseClient other = connectFrom("198.51.100.8")) {
            assertThat(other.error()).isNull();
        }
        assertThat(fixture.bridge().metric("ssebridge_admission_refused_total", "reason=\"rate\"")).isGreaterThanOrEqualTo(1);
    }

    @Test
    void oversizedAndMalformedInputsAre400Or431NeverA500() {
        Map<String, String> me = from("203.0.113.1");
        assertBadRequest(get("/api/v1/sse/training?client_id=" + "x".repeat(65), me), "client_id");
        assertBadRequest(get("/api/v1/sse/training?client_id=a%20b", me), "client_id");
        StringBuilder many = new StringBuilder("/api/v1/sse/history/training?");
        for (int i = 0; i < 33; i++) {
            many.append("key=k").append(i).append('&');
        }
        assertBadRequest(get(many.toString(), me), null);
        assertBadRequest(get("/api/v1/sse/history/training?key=" + "k".repeat(4097), me), "key");
        assertBadRequest(get("/api/v1/sse/training?last_event_id=" + "A".repeat(4000), me), null);
        // Headers beyond the server's limit (server.max-http-request-header-size, 8 KB by default).
        ResponseEntity<String> bigHeader = get("/api/v1/sse/training", Map.of("X-Padding", "p".repeat(16_000)));
        assertThat(bigHeader.getStatusCode().value()).isEqualTo(431);
        ResponseEntity<String> longLine = get("/api/v1/sse/training?x=" + "y".repeat(10_000), me);
        assertThat(longLine.getStatusCode().value()).isIn(400, 414);
    }

    private static void assertBadRequest(ResponseEntity<String> response, String parameter) {
        assertThat(response.getStatusCode().value()).isEqualTo(400);
        assertThat(response.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
        JsonNode body = JSON.readTree(response.getBody());
        assertThat(body.get("detail").asString()).isNotBlank();
        if (parameter != null) {
            assertThat(body.get("detail").asString()).contains(parameter);
        }
    }

    private static void assertRefused(ResponseEntity<String> response, String limit) {
        assertThat(response.getStatusCode().value()).isEqualTo(429);
        assertThat(response.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(response.getHeaders().getFirst(HttpHeaders.RETRY_AFTER)).matches("[1-9][0-9]*");
        assertThat(JSON.readTree(response.getBody()).get("limit").asString()).isEqualTo(limit);
    }

    private static SseClient connectFrom(String address) {
        SseClient client = fixture.bridge().connect("/api/v1/sse/training", from(address));
        client.awaitConnected();
        return client;
    }

    private static Map<String, String> from(String address) {
        return Map.of("X-Forwarded-For", address);
    }

    private static ResponseEntity<String> get(String path, Map<String, String> headers) {
        return fixture.bridge().webClient().get().uri(path).headers(h -> headers.forEach(h::set))
                .accept(MediaType.TEXT_EVENT_STREAM, MediaType.ALL)
                .exchangeToMono(r -> r.toEntity(String.class))
                .block(WAIT);
    }
}
