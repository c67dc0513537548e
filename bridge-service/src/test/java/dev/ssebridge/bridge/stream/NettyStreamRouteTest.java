package dev.ssebridge.bridge.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpMethod;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.util.MultiValueMap;

/** The route reads a query as WebFlux does, or leaves it to WebFlux. */
class NettyStreamRouteTest {

    @Test
    void queriesReadAsWebFluxReadsThem() {
        List<String> queries = List.of("", "a=1", "a=1&a=2&b=", "flag", "flag&x=y", "a=b=c", "&&a=1&&",
                "since=2025-10-24T15%3A30%3A00Z", "key=a+b%20c", "last_event_id=AYqPAw-_x", "channels=training,alerts",
                "caf%C3%A9=cr%C3%A8me", "a=%", "a=%zz", "=x", "a==", "min_severity=high&task_id=t-1");
        int read = 0;
        for (String raw : queries) {
            MultiValueMap<String, String> route = NettyStreamRoute.query(raw);
            if (route == null) {
                continue; // left to WebFlux
            }
            read++;
            // As received: the URI is not encoded again (MockServerHttpRequest.get(String) would).
            MultiValueMap<String, String> webflux = MockServerHttpRequest
                    .method(HttpMethod.GET, URI.create("/api/v1/sse/training?" + raw)).build().getQueryParams();
            assertThat(route).as(raw).isEqualTo(webflux);
        }
        assertThat(read).isGreaterThanOrEqualTo(queries.size() - 4);
    }

    @Test
    void malformedEncodingIsLeftToWebFlux() {
        assertThat(NettyStreamRoute.query("a=%")).isNull();
        assertThat(NettyStreamRoute.query("a=%zz")).isNull();
        assertThat(NettyStreamRoute.query("=x")).isNull();
    }
}
