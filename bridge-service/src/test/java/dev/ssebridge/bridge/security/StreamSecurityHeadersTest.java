package dev.ssebridge.bridge.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.web.cors.CorsConfiguration;

class StreamSecurityHeadersTest {

    private final StreamSecurityHeaders headers = new StreamSecurityHeaders(cors());

    private static CorsConfiguration cors() {
        CorsConfiguration config = new CorsConfiguration();
        config.setAllowedOriginPatterns(List.of("https://*.example.com"));
        config.setAllowedMethods(List.of("GET"));
        config.setAllowCredentials(true);
        return config;
    }

    @Test
    void withoutOriginOrFromTheSameOriginThereAreNoCorsGrants() {
        assertThat(headers.forGet(null, "http", "bridge.internal", 8080)).extracting(Map.Entry::getKey)
                .contains("Vary", "X-Content-Type-Options").doesNotContain("Access-Control-Allow-Origin");
        assertThat(headers.forGet("http://bridge.internal:8080", "http", "bridge.internal", 8080))
                .extracting(Map.Entry::getKey).doesNotContain("Access-Control-Allow-Origin");
        assertThat(headers.forGet("https://bridge.internal", "https", "BRIDGE.internal", -1))
                .extracting(Map.Entry::getKey).contains("Strict-Transport-Security")
                .doesNotContain("Access-Control-Allow-Origin");
    }

    @Test
    void anAllowedOriginIsGrantedAndAnyOtherIsLeftToTheChain() {
        assertThat(headers.forGet("https://desk.example.com", "http", "bridge.internal", 8080))
                .contains(Map.entry("Access-Control-Allow-Origin", "https://desk.example.com"),
                        Map.entry("Access-Control-Allow-Credentials", "true"));
        assertThat(headers.forGet("https://evil.example.org", "http", "bridge.internal", 8080)).isNull();
        // Same host, other port: another origin.
        assertThat(headers.forGet("http://bridge.internal:9090", "http", "bridge.internal", 8080)).isNull();
        assertThat(headers.forGet("not a uri", "http", "bridge.internal", 8080)).isNull();
    }
}
