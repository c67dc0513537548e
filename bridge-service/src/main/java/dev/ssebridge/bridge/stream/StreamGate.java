package dev.ssebridge.bridge.stream;

import dev.ssebridge.bridge.admission.AdmissionControl;
import dev.ssebridge.bridge.admission.ClientAddresses;
import dev.ssebridge.bridge.admission.QueryLimits;
import dev.ssebridge.bridge.security.StreamAuthentication;
import dev.ssebridge.bridge.security.StreamSecurityHeaders;
import io.netty.util.AttributeKey;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;

/**
 * The checks a stream request passes before anything opens, in one place for both server paths: the
 * {@link NettyStreamRoute} asks it for everything, and WebFlux's {@link AdmissionFilter} for the query limits
 * and admission (WebFlux's security chain applies the token and header rules this gate copies, and tests hold
 * the copies to the chain: query parsing, the one-token rule, the default security headers).
 *
 * <p>Admission is decided once per request. A request the route hands to WebFlux after admitting it carries
 * its decision along on its Netty channel (HTTP/1.1 serves one request at a time per connection, HTTP/2 gives
 * each stream a channel of its own), and the filter takes that decision instead of counting the request again.
 */
final class StreamGate {

    /** The decision the route took on a request it hands to WebFlux; taken (and cleared) by the filter. */
    private static final AttributeKey<AdmissionControl.Decision> DECIDED =
            AttributeKey.valueOf(StreamGate.class.getName() + ".decided");

    /** WebFlux's pattern for query parameters (AbstractServerHttpRequest): name, '=', value. */
    private static final Pattern QUERY_PARAMETER = Pattern.compile("([^&=]+)(=?)([^&]+)?");

    private final AdmissionControl admission;
    private final ClientAddresses addresses;
    private final QueryLimits queryLimits;
    private final StreamAuthentication authentication;
    private final StreamSecurityHeaders securityHeaders;

    StreamGate(AdmissionControl admission, ClientAddresses addresses, QueryLimits queryLimits,
               StreamAuthentication authentication, StreamSecurityHeaders securityHeaders) {
        this.admission = admission;
        this.addresses = addresses;
        this.queryLimits = queryLimits;
        this.authentication = authentication;
        this.securityHeaders = securityHeaders;
    }

    /**
     * The query of a request URI as WebFlux reads it (WebFlux builds a {@link URI} from the request, and reads
     * its raw query with its pattern, each part URL-decoded, {@code +} a space; a name without {@code =} has a
     * null value, with {@code =} and nothing after it an empty one), or null when WebFlux refuses the URI
     * (it answers 400 before any handler).
     */
    static MultiValueMap<String, String> query(String requestUri) {
        String rawQuery;
        try {
            rawQuery = new URI("http://host" + requestUri).getRawQuery();
        } catch (URISyntaxException e) {
            return null;
        }
        MultiValueMap<String, String> query = new LinkedMultiValueMap<>();
        if (rawQuery == null) {
            return query;
        }
        try {
            Matcher matcher = QUERY_PARAMETER.matcher(rawQuery);
            while (matcher.find()) {
                String name = URLDecoder.decode(matcher.group(1), StandardCharsets.UTF_8);
                String value = matcher.group(3);
                query.add(name, value != null ? URLDecoder.decode(value, StandardCharsets.UTF_8)
                        : matcher.group(2).isEmpty() ? null : "");
            }
        } catch (IllegalArgumentException e) {
            return null;
        }
        return query;
    }

    /** What is wrong with the query, for a 400, or null when it is within the limits. */
    String checkQuery(Map<String, List<String>> query) {
        return queryLimits.check(query);
    }

    /**
     * The route's admission decision on a request, kept on its channel: if the route hands the request to
     * WebFlux, {@link #admit(ServerHttpRequest)} takes it from there instead of deciding again.
     */
    AdmissionControl.Decision admit(HttpServerRequest request) {
        AdmissionControl.Decision decision = admission.admit(
                addresses.of(request.requestHeaders()::get, request.remoteAddress()));
        request.withConnection(connection -> connection.channel().attr(DECIDED).set(decision));
        return decision;
    }

    /** The route served the request itself: nothing is left on its channel for a later request. */
    static void served(HttpServerRequest request) {
        request.withConnection(connection -> connection.channel().attr(DECIDED).set(null));
    }

    /** WebFlux's decision on a request: the route's, if the route decided and handed it over, else a new one. */
    AdmissionControl.Decision admit(ServerHttpRequest request) {
        AdmissionControl.Decision[] decided = new AdmissionControl.Decision[1];
        if (ServerHttpRequestDecorator.getNativeRequest(request) instanceof HttpServerRequest reactor) {
            reactor.withConnection(connection -> decided[0] = connection.channel().attr(DECIDED).getAndSet(null));
        }
        return decided[0] != null ? decided[0] : admission.admit(addresses.of(request));
    }

    /** The security context to open a stream with, or empty when WebFlux's chain must decide (see {@link StreamAuthentication}). */
    Mono<SecurityContext> authenticate(String authorization, List<String> accessTokens,
                                       Function<String, String> cookies) {
        return authentication.authenticate(authorization, accessTokens, cookies);
    }

    /** The headers of a successful GET, or null when WebFlux's chain must decide (see {@link StreamSecurityHeaders}). */
    List<Map.Entry<String, String>> securityHeaders(String origin, String scheme, String host, int port) {
        return securityHeaders.forGet(origin, scheme, host, port);
    }
}
