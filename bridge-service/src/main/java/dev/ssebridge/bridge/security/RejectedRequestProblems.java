package dev.ssebridge.bridge.security;

import dev.ssebridge.bridge.problem.Problems;
import org.springframework.http.HttpStatus;
import org.springframework.security.web.server.firewall.ServerExchangeRejectedException;
import org.springframework.security.web.server.firewall.ServerExchangeRejectedHandler;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * The answer to a request Spring Security's firewall refuses before any handler sees it (an encoded slash or dot in
 * the path, a path traversal, a null or control character): a 400 as problem+json, like every other error, instead
 * of the firewall's empty one. The detail names the kind of thing refused, not the request's own text (a refused
 * header's value could be a token).
 */
final class RejectedRequestProblems implements ServerExchangeRejectedHandler {

    @Override
    public Mono<Void> handle(ServerWebExchange exchange, ServerExchangeRejectedException refused) {
        return Problems.write(exchange, Problems.problem(HttpStatus.BAD_REQUEST, "rejected-request", "Request refused",
                "The request's path or headers hold what the bridge refuses before reading it: an encoded slash ("
                        + "%2F) or dot, a path segment of . or .., a backslash, a null or control character, or a "
                        + "character that is not allowed in a header."));
    }
}
