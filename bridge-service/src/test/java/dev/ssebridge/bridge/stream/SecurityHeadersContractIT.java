package dev.ssebridge.bridge.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ssebridge.bridge.support.BridgeFixture;
import dev.ssebridge.bridge.support.RunningBridge;
import dev.ssebridge.bridge.support.SelfSignedKeystore;
import dev.ssebridge.testsupport.TestTokens;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The stream route copies the headers WebFlux's security chain adds to a response (Spring Security's defaults,
 * HSTS over TLS, CORS), since a stream it serves never passes the chain. This holds the copy to the chain: for
 * the same request properties (scheme, origin), the headers of a stream the route serves equal those the chain
 * writes on a response it answers on the same path (a 404 for an unknown channel), over HTTP and over TLS,
 * without an origin, from the same origin and from an allowed other origin.
 */
class SecurityHeadersContractIT {

    /** What the chain adds; the stream's own headers (content type, caching) are set by the bridge on both paths. */
    private static final Set<String> SECURITY_HEADERS = Set.of("vary", "x-content-type-options", "x-frame-options",
            "x-xss-protection", "referrer-policy", "strict-transport-security", "access-control-allow-origin",
            "access-control-allow-credentials", "access-control-expose-headers");
    private static final String ORIGIN = "https://desk.example.test";

    /** Secured; its bridge speaks plain HTTP, another on the same topics TLS. */
    @RegisterExtension
    static final BridgeFixture fixture = BridgeFixture.withPartitions(1).settings(Map.of(
            "bridge.security.enabled", "true",
            "bridge.security.hmac-secret", TestTokens.SECRET,
            "bridge.security.issuer", TestTokens.ISSUER,
            "bridge.cors.allowed-origins", ORIGIN,
            "bridge.cors.allow-credentials", "true"));

    private static RunningBridge plain;
    private static RunningBridge tls;
    private static HttpClient http;

    @BeforeAll
    static void startBridges() {
        plain = fixture.bridge();
        tls = fixture.startAnother(SelfSignedKeystore.serverSettings());
        http = HttpClient.newBuilder().sslContext(SelfSignedKeystore.clientContext())
                .connectTimeout(Duration.ofSeconds(10)).build();
    }

    @Test
    void overHttpTheRouteSendsTheHeadersTheChainWrites() throws Exception {
        compare(plain, "http://localhost:" + plain.port(), false);
    }

    @Test
    void overTlsTheRouteSendsTheHeadersTheChainWritesHstsIncluded() throws Exception {
        compare(tls, "https://localhost:" + tls.port(), true);
    }

    private static void compare(RunningBridge bridge, String base, boolean secure) throws Exception {
        String token = TestTokens.token("desk-9", "sse:training");
        for (String origin : new String[] {null, base, ORIGIN}) {
            double served = served(bridge);
            Map<String, List<String>> route = securityHeaders(base + "/api/v1/sse/training", token, origin, 200);
            assertThat(served(bridge)).as("served by the route").isEqualTo(served + 1);
            Map<String, List<String>> chain = securityHeaders(base + "/api/v1/sse/nowhere", token, origin, 404);

            assertThat(route).as("origin %s", origin).isEqualTo(chain);
            assertThat(route).containsKeys("x-content-type-options", "x-frame-options", "referrer-policy");
            assertThat(route.containsKey("strict-transport-security")).isEqualTo(secure);
            assertThat(route.containsKey("access-control-allow-origin")).isEqualTo(ORIGIN.equals(origin));
        }
    }

    /** The security headers of the response, names in lower case; the body is left unread (a stream never ends). */
    private static Map<String, List<String>> securityHeaders(String url, String token, String origin, int status)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20))
                .header("Accept", "text/event-stream").header("Authorization", "Bearer " + token);
        if (origin != null) {
            request.header("Origin", origin);
        }
        HttpResponse<InputStream> response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        response.body().close();
        assertThat(response.statusCode()).as(url).isEqualTo(status);
        Map<String, List<String>> headers = new TreeMap<>();
        response.headers().map().forEach((name, values) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (SECURITY_HEADERS.contains(lower)) {
                // A stream also varies by Accept-Encoding (gzip): the bridge's own header, not the chain's.
                List<String> own = values.stream().filter(v -> !v.equalsIgnoreCase("Accept-Encoding")).toList();
                if (!own.isEmpty()) {
                    headers.put(lower, own);
                }
            }
        });
        return headers;
    }

    private static double served(RunningBridge bridge) {
        Counter counter = bridge.bean(MeterRegistry.class).find("ssebridge.streams.served").tag("by", "route").counter();
        return counter == null ? 0 : counter.count();
    }
}
