package dev.ssebridge.bridge.security;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.springframework.http.HttpMethod;
import org.springframework.web.cors.CorsConfiguration;

/**
 * The headers the WebFlux security chain adds to a successful stream response, for the stream route that
 * serves streams without that chain: CORS ({@code Vary} always; {@code Access-Control-Allow-*} for an allowed
 * cross-origin request) and Spring Security's default response headers. A test compares both paths' headers.
 * A cross-origin request this class cannot allow is left to the chain, which refuses it.
 */
public final class StreamSecurityHeaders {

    private static final List<Map.Entry<String, String>> ALWAYS = List.of(
            Map.entry("Vary", "Origin"),
            Map.entry("Vary", "Access-Control-Request-Method"),
            Map.entry("Vary", "Access-Control-Request-Headers"),
            Map.entry("X-Content-Type-Options", "nosniff"),
            Map.entry("X-Frame-Options", "DENY"),
            Map.entry("X-XSS-Protection", "0"),
            Map.entry("Referrer-Policy", "no-referrer"));
    /** With Spring Security's HSTS default, sent on secure requests only. */
    private static final List<Map.Entry<String, String>> ALWAYS_SECURE = Stream.concat(ALWAYS.stream(),
            Stream.of(Map.entry("Strict-Transport-Security", "max-age=31536000 ; includeSubDomains"))).toList();

    private final CorsConfiguration cors;

    StreamSecurityHeaders(CorsConfiguration cors) {
        this.cors = cors;
    }

    /**
     * The headers for a GET, or null when the chain must decide (a cross-origin request that is not allowed).
     *
     * @param origin the {@code Origin} header, or null
     * @param scheme the request's scheme, {@code http} or {@code https}
     * @param host   the request's host name (from {@code Host}, or forwarded headers when the server applies them)
     * @param port   the request's port
     */
    public List<Map.Entry<String, String>> forGet(String origin, String scheme, String host, int port) {
        // Shared lists for the usual case: nothing is built per connection.
        List<Map.Entry<String, String>> always = "https".equals(scheme) ? ALWAYS_SECURE : ALWAYS;
        if (origin == null || sameOrigin(origin, scheme, host, port)) {
            return always;
        }
        String allowed = cors.checkOrigin(origin);
        if (allowed == null || cors.checkHttpMethod(HttpMethod.GET) == null) {
            return null;
        }
        List<Map.Entry<String, String>> headers = new ArrayList<>(always);
        headers.add(Map.entry("Access-Control-Allow-Origin", allowed));
        if (Boolean.TRUE.equals(cors.getAllowCredentials())) {
            headers.add(Map.entry("Access-Control-Allow-Credentials", "true"));
        }
        return headers;
    }

    /**
     * As Spring's CorsUtils decides it from the request's URI: scheme, host and port (default ports filled
     * in) equal. A doubt counts as cross-origin, which at worst leaves the request to the chain.
     */
    private static boolean sameOrigin(String origin, String scheme, String host, int port) {
        try {
            URI o = URI.create(origin);
            return scheme.equalsIgnoreCase(o.getScheme()) && host != null && host.equalsIgnoreCase(o.getHost())
                    && port(scheme, port) == port(o.getScheme(), o.getPort());
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static int port(String scheme, int port) {
        if (port > 0) {
            return port;
        }
        return "https".equalsIgnoreCase(scheme) ? 443 : 80;
    }
}
