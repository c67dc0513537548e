package dev.ssebridge.bridge.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpMethod;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.util.MultiValueMap;

/**
 * The route reads a query exactly as WebFlux does: compared with WebFlux's own parsing
 * ({@code AbstractServerHttpRequest}, which {@code MockServerHttpRequest} runs unchanged) on chosen queries and
 * on thousands of random ones. Where WebFlux refuses the URI (it answers 400 before any handler), the route
 * hands the request over.
 */
class StreamGateQueryTest {

    /** Characters that make query parsing interesting: separators, escapes, plus, non-ASCII, URI-illegal ones. */
    private static final String[] PIECES = {"a", "b", "x", "=", "&", "%", "2", "0", "C", "3", "A", "9", "+", "%20",
            "%3D", "%26", "%C3%A9", "é", " ", "|", "#", "?", "/", ":", "-", "_", ".", "%zz", "%E2%82"};

    @Test
    void chosenQueriesReadAsWebFluxReadsThem() {
        List<String> queries = List.of("", "a=1", "a=1&a=2&b=", "flag", "flag&x=y", "a=b=c", "&&a=1&&",
                "since=2025-10-24T15%3A30%3A00Z", "key=a+b%20c", "last_event_id=AYqPAw-_x", "channels=training,alerts",
                "caf%C3%A9=cr%C3%A8me", "=x", "a==", "=", "==", "&=&", "min_severity=high&task_id=t-1", "a=1#fragment");
        for (String raw : queries) {
            assertThat(StreamGate.query("/api/v1/sse/training?" + raw)).as(raw).isEqualTo(webFlux(raw));
        }
    }

    @Test
    void randomQueriesReadAsWebFluxReadsThemOrAreLeftToIt() {
        SplittableRandom random = new SplittableRandom(16);
        int compared = 0;
        int handedOver = 0;
        for (int i = 0; i < 20_000; i++) {
            StringBuilder raw = new StringBuilder();
            for (int n = random.nextInt(12); n > 0; n--) {
                raw.append(PIECES[random.nextInt(PIECES.length)]);
            }
            String uri = "/api/v1/sse/training?" + raw;
            MultiValueMap<String, String> route = StreamGate.query(uri);
            if (!validUri(uri)) {
                assertThat(route).as("WebFlux refuses %s: the route must leave it", uri).isNull();
                handedOver++;
                continue;
            }
            assertThat(route).as(uri).isEqualTo(webFlux(raw.toString()));
            compared++;
        }
        // Both kinds occur often enough for the comparison to mean something.
        assertThat(compared).isGreaterThan(5_000);
        assertThat(handedOver).isGreaterThan(1_000);
    }

    /** The query WebFlux reads from this request URI; the URI as received, not encoded again. */
    private static MultiValueMap<String, String> webFlux(String rawQuery) {
        return MockServerHttpRequest.method(HttpMethod.GET, URI.create("http://localhost/api/v1/sse/training?" + rawQuery))
                .build().getQueryParams();
    }

    /** Whether WebFlux can build its request URI (java.net.URI), as its Reactor Netty adapter does. */
    private static boolean validUri(String uri) {
        try {
            new URI("http://localhost" + uri);
            return true;
        } catch (java.net.URISyntaxException e) {
            return false;
        }
    }
}
