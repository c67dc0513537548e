package dev.ssebridge.bridge.stream;

import dev.ssebridge.bridge.admission.AdmissionControl;
import dev.ssebridge.bridge.admission.ClientAddresses;
import dev.ssebridge.bridge.admission.QueryLimits;
import dev.ssebridge.bridge.config.BridgeProperties.AdmissionProperties;
import dev.ssebridge.bridge.problem.Problems;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Runs before security and the controllers. For every API request it bounds the query (parameter count
 * and value length: 400); for stream requests it asks {@link AdmissionControl} and either refuses with 429
 * and {@code Retry-After} or holds the permit for as long as the stream is open.
 */
public final class AdmissionFilter implements WebFilter, Ordered {

    /** Before Spring Security's chain (-100): a flood is refused before any token is checked. */
    public static final int ORDER = -200;
    private static final String API = "/api/";

    private final AdmissionControl control;
    private final ClientAddresses addresses;
    private final QueryLimits queryLimits;
    private final MeterRegistry meters;

    public AdmissionFilter(AdmissionControl control, AdmissionProperties limits, MeterRegistry meters) {
        this.control = control;
        this.addresses = new ClientAddresses(limits.clientAddressHeader());
        this.queryLimits = new QueryLimits(limits);
        this.meters = meters;
    }

    @Override
    public int getOrder() {
        return ORDER;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        ServerHttpRequest request = exchange.getRequest();
        String path = request.getPath().value();
        if (!path.startsWith(API)) {
            return chain.filter(exchange);
        }
        String invalid = queryLimits.check(request.getQueryParams());
        if (invalid != null) {
            ProblemDetail problem = Problems.problem(HttpStatus.BAD_REQUEST, "invalid-parameter", "Invalid parameter",
                    invalid);
            return Problems.write(exchange, problem);
        }
        if (request.getMethod() != HttpMethod.GET || !StreamPaths.isStream(path)) {
            return chain.filter(exchange);
        }
        AdmissionControl.Decision decision = control.admit(addresses.of(request));
        if (decision.refusal() != null) {
            AdmissionControl.Refusal refusal = decision.refusal();
            meters.counter("ssebridge.admission.refused", "reason", refusal.reason()).increment();
            exchange.getResponse().getHeaders().set(HttpHeaders.RETRY_AFTER, Long.toString(refusal.retryAfterSeconds()));
            ProblemDetail problem = Problems.problem(HttpStatus.TOO_MANY_REQUESTS, "too-many-connections",
                    "Too many connections", refusal.detail() + " Retry after " + refusal.retryAfterSeconds() + " s.");
            problem.setProperty("limit", refusal.reason());
            return Problems.write(exchange, problem);
        }
        AdmissionControl.Permit permit = decision.permit();
        return chain.filter(exchange).doFinally(signal -> permit.close());
    }
}
