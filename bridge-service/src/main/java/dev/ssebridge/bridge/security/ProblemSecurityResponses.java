package dev.ssebridge.bridge.security;

import dev.ssebridge.bridge.problem.Problems;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.web.server.ServerAuthenticationEntryPoint;
import org.springframework.security.web.server.authorization.ServerAccessDeniedHandler;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * 401 and 403 as problem+json, with the {@code WWW-Authenticate} challenge of RFC 6750. The detail says
 * what was wrong with the token (expired, bad signature, wrong issuer, unsigned, no expiry, not a JWT:
 * {@link TokenRefusals}) and never repeats the token.
 */
final class ProblemSecurityResponses implements ServerAuthenticationEntryPoint, ServerAccessDeniedHandler {

    private static final int MAX_DETAIL = 200;

    @Override
    public Mono<Void> commence(ServerWebExchange exchange, AuthenticationException e) {
        String detail;
        String challenge;
        if (e instanceof OAuth2AuthenticationException oauth) {
            OAuth2Error error = oauth.getError();
            String description = error.getDescription() == null ? error.getErrorCode() : error.getDescription();
            detail = "The bearer token was refused: " + truncate(TokenRefusals.reason(oauth, description)) + ".";
            challenge = "Bearer error=\"" + error.getErrorCode() + "\"";
        } else {
            detail = "A bearer token is required: in the Authorization header, the access_token query parameter "
                    + "or the token cookie.";
            challenge = "Bearer";
        }
        exchange.getResponse().getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, challenge);
        return Problems.write(exchange, Problems.problem(HttpStatus.UNAUTHORIZED, "unauthorized", "Unauthorized", detail));
    }

    @Override
    public Mono<Void> handle(ServerWebExchange exchange, AccessDeniedException denied) {
        ProblemDetail problem = Problems.problem(HttpStatus.FORBIDDEN, "forbidden", "Forbidden",
                "The token does not grant access to " + exchange.getRequest().getPath().value() + ".");
        exchange.getResponse().getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, "Bearer error=\"insufficient_scope\"");
        return Problems.write(exchange, problem);
    }

    private static String truncate(String s) {
        return s.length() <= MAX_DETAIL ? s : s.substring(0, MAX_DETAIL) + "...";
    }
}
