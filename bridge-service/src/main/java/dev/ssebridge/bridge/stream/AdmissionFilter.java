package dev.ssebridge.bridge.stream;

import dev.ssebridge.bridge.admission.AdmissionControl;
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
 * and value length: 400); for stream requests it takes the admission decision from the {@link StreamGate}
 * (the route's, for a request the route handed over) and either refuses with 429 and {@code Retry-After} or
 * holds the permit for as long as the stream is open.
 */
final class AdmissionFilter implements WebFilter, Ordered {

    /** Before Spring Security's chain (-100): a flood is refused before any token is checked. */
    public static final int ORDER = -200;
    private static final String API = "/api/";

    private final StreamGate gate;
    private final MeterRegistry meters;

    AdmissionFilter(StreamGate gate, MeterRegistry meters) {
        this.gate = gate;
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
        String invalid = gate.checkQuery(request.getQueryParams());
        if (invalid != null) {
            ProblemDetail problem = Problems.problem(HttpStatus.BAD_REQUEST, "invalid-parameter", "Invalid parameter",
                    invalid);
            return Problems.write(exchange, problem);
        }
        if (request.getMethod() != HttpMethod.GET || !StreamPaths.isStream(path)) {
            return chain.filter(exchange);
        }
        AdmissionControl.Decision decision = gate.admit(request);
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
