package dev.ssebridge.bridge.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ssebridge.bridge.admission.AdmissionControl;
import dev.ssebridge.bridge.support.BridgeFixture;
import dev.ssebridge.bridge.support.RunningBridge;
import dev.ssebridge.testsupport.TestTokens;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The stream route below WebFlux, on a real bridge with security and CORS on: every way a token travels served
 * by the route, every request it does not serve answered by WebFlux, counted once by admission. (That the route
 * sends the headers WebFlux's chain would: {@link SecurityHeadersContractIT}.)
 */
class NettyRouteIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String ORIGIN = "https://desk.example.test";
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @RegisterExtension
    static final BridgeFixture secured = BridgeFixture.withPartitions(1).settings(Map.of(
            "bridge.security.enabled", "true",
            "bridge.security.hmac-secret", TestTokens.SECRET,
            "bridge.security.issuer", TestTokens.ISSUER,
            "bridge.cors.allowed-origins", ORIGIN,
            "bridge.cors.allow-credentials", "true",
            "bridge.admission.connection-rate-per-address", "1",
            "bridge.admission.connection-burst-per-address", "1000"));
    /** A bridge of one test's own, without security; its topics are made only for that test. */
    @RegisterExtension
    final BridgeFixture unsecured = BridgeFixture.withPartitions(1).startedByEachTest();

    private static RunningBridge route;

    @BeforeAll
    static void startBridges() {
        route = secured.bridge();
    }

    @Test
    void everyWayATokenTravelsIsServedByTheRoute() throws Exception {
        String token = TestTokens.token("desk-2", "sse:training");
        double before = served(route, "route");
        assertThat(head(route, "/api/v1/sse/training", Map.of("Authorization", "Bearer " + token)).status())
                .isEqualTo(200);
        assertThat(head(route, "/api/v1/sse/training?access_token=" + token, Map.of()).status()).isEqualTo(200);
        assertThat(head(route, "/api/v1/sse/stream?channels=training", Map.of("Cookie", "sse_token=" + token))
                .status()).isEqualTo(200);
        assertThat(served(route, "route")).isEqualTo(before + 3);
        assertThat(served(route, "webflux")).isZero();
    }

    @Test
    void whatTheRouteDoesNotServeWebFluxAnswersAsBefore() throws Exception {
        String training = TestTokens.token("desk-3", "sse:training");
        String other = TestTokens.token("desk-3", "sse:alerts");
        double before = served(route, "route");
        double handedOver = handedOver(route);

        Head none = head(route, "/api/v1/sse/training", Map.of());
        assertThat(none.status()).isEqualTo(401);
        assertThat(none.headers()).containsEntry("www-authenticate", List.of("Bearer"));
        Head twoTokens = head(route, "/api/v1/sse/training?access_token=" + training,
                Map.of("Authorization", "Bearer " + training));
        assertThat(twoTokens.status()).isEqualTo(401);
        assertThat(twoTokens.headers().get("www-authenticate").get(0)).contains("invalid_request");
        Head badSignature = head(route, "/api/v1/sse/training", Map.of("Authorization", "Bearer " + training + "x"));
        assertThat(badSignature.status()).isEqualTo(401);
        assertThat(badSignature.headers().get("www-authenticate").get(0)).contains("invalid_token");
        Head notGranted = head(route, "/api/v1/sse/training", Map.of("Authorization", "Bearer " + other));
        assertThat(notGranted.status()).isEqualTo(403);
        assertThat(notGranted.body()).contains("channel-forbidden");
        Map<String, String> auth = Map.of("Authorization", "Bearer " + training);
        assertThat(head(route, "/api/v1/sse/training?last_event_id=nonsense", auth).body()).contains("invalid-cursor");
        assertThat(head(route, "/api/v1/sse/nowhere", auth).status()).isEqualTo(404);
        assertThat(head(route, "/api/v1/sse/training?since=yesterday", auth).body()).contains("\"parameter\":\"since\"");
        Map<String, String> foreign = Map.of("Authorization", "Bearer " + training, "Origin", "https://evil.example");
        assertThat(head(route, "/api/v1/sse/training", foreign).status()).isEqualTo(403);

        assertThat(served(route, "route")).isEqualTo(before);
        assertThat(served(route, "webflux")).isZero();
        assertThat(handedOver(route)).isEqualTo(handedOver + 8);
    }

    @Test
    void aRequestHandedOverIsAdmittedOnceNotTwice() throws Exception {
        // Burst of 3 at 1 per second: had the route's admission counted as well as WebFlux's, the second
        // request would already be refused with 429.
        RunningBridge strict = unsecured.start(Map.of(
                "bridge.admission.connection-rate-per-address", "1",
                "bridge.admission.connection-burst-per-address", "3"));
        for (int i = 0; i < 3; i++) {
            assertThat(head(strict, "/api/v1/sse/training?last_event_id=nonsense", Map.of()).status())
                    .as("request %d", i + 1).isEqualTo(400);
        }
        Awaitility.await().atMost(WAIT).until(() -> strict.bean(AdmissionControl.class).open() == 0);
    }

    private static double served(RunningBridge bridge, String by) {
        Counter counter = bridge.bean(MeterRegistry.class).find("ssebridge.streams.served").tag("by", by).counter();
        return counter == null ? 0 : counter.count();
    }

    private static double handedOver(RunningBridge bridge) {
        return bridge.bean(MeterRegistry.class).find("ssebridge.streams.handed.over").counters().stream()
                .mapToDouble(Counter::count).sum();
    }

    /** Status, headers (names in lower case), and the first event or the whole body of an error. */
    record Head(int status, Map<String, List<String>> headers, String firstEvent, String body) {
    }

    private static Head head(RunningBridge bridge, String path, Map<String, String> headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(bridge.baseUrl() + path))
                .header("Accept", "text/event-stream").timeout(WAIT);
        headers.forEach(request::header);
        HttpResponse<InputStream> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        Map<String, List<String>> names = new TreeMap<>();
        response.headers().map().forEach((name, values) -> names.put(name.toLowerCase(Locale.ROOT), values));
        try (InputStream body = response.body()) {
            if (response.statusCode() != 200) {
                return new Head(response.statusCode(), names, null, new String(body.readAllBytes(), StandardCharsets.UTF_8));
            }
            return new Head(200, names, firstEvent(body), null);
        }
    }

    /** The first event's lines, without its id (a cursor of the instant) and with the timestamp taken out. */
    private static String firstEvent(InputStream body) throws IOException {
        BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
        List<String> event = new ArrayList<>();
        for (String line = lines.readLine(); line != null && !line.isEmpty(); line = lines.readLine()) {
            if (line.startsWith("data: ")) {
                JsonNode data = JSON.readTree(line.substring(6));
                event.add("data: " + data.get("event") + " " + data.get("data"));
            } else if (!line.startsWith("id: ") && !line.startsWith("retry: ")) {
                event.add(line);
            }
        }
        return String.join("\n", event);
    }
}
