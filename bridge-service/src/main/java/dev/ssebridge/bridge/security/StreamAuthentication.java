package dev.ssebridge.bridge.security;

import dev.ssebridge.bridge.config.BridgeProperties.SecurityProperties;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextImpl;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import reactor.core.publisher.Mono;

/**
 * Authenticates stream requests for the stream route, which serves streams below WebFlux and its security
 * chain: the same token sources ({@link TokenResolver}'s), the same decoder and validators (the chain uses
 * {@link #decoder()}), the same authentication. It only ever says yes, or "let the chain decide": a request
 * without exactly one well-formed token, or whose token does not decode, is handed to WebFlux, whose chain
 * gives the 400 or 401 with its challenge.
 */
public final class StreamAuthentication {

    /** Spring Security's pattern for an {@code Authorization: Bearer} header (RFC 6750 b64token). */
    private static final Pattern BEARER = Pattern.compile("^Bearer (?<token>[a-zA-Z0-9-._~+/]+=*)$",
            Pattern.CASE_INSENSITIVE);
    private static final SecurityContext OPEN = new SecurityContextImpl();

    private final SecurityProperties settings;
    private final ReactiveJwtDecoder decoder;
    private final ChannelAccess access;

    StreamAuthentication(SecurityProperties settings, ChannelAccess access) {
        this.settings = settings;
        this.access = access;
        this.decoder = settings.enabled() ? SecurityConfiguration.decoder(settings) : null;
    }

    /** The decoder of bearer tokens when security is on, shared with the WebFlux chain. */
    ReactiveJwtDecoder decoder() {
        return decoder;
    }

    /**
     * The security context to open a stream with, or empty when the WebFlux chain must decide.
     *
     * @param authorization the {@code Authorization} header, or null
     * @param accessTokens  the values of the {@code access_token} query parameter, or null
     * @param cookies       the value of a named cookie, or null; read only when the cookie may carry the token
     */
    public Mono<SecurityContext> authenticate(String authorization, List<String> accessTokens,
                                              Function<String, String> cookies) {
        if (!settings.enabled()) {
            return Mono.just(OPEN);
        }
        String token = soleToken(authorization, accessTokens, cookies, settings.cookieName());
        if (token == null) {
            return Mono.empty();
        }
        return decoder.decode(token)
                .<SecurityContext>map(jwt -> new SecurityContextImpl(authentication(jwt, access)))
                .onErrorResume(JwtException.class, e -> Mono.empty());
    }

    /**
     * The one token of the request, or null when there is none, more than one, or one the chain refuses, as the
     * chain's converter ({@link TokenResolver}) reads them: a header that is not a bearer one is ignored; the
     * cookie counts only without the others. A copy of that converter's rule, held to it by a contract test.
     */
    static String soleToken(String authorization, List<String> accessTokens, Function<String, String> cookies,
                            String cookieName) {
        boolean bearerHeader = authorization != null && authorization.regionMatches(true, 0, "bearer", 0, 6);
        int parameters = accessTokens == null ? 0 : accessTokens.size();
        if (bearerHeader && parameters == 0) {
            Matcher matcher = BEARER.matcher(authorization);
            return matcher.matches() ? matcher.group("token") : null;
        }
        if (!bearerHeader && parameters == 1) {
            String token = accessTokens.get(0);
            return token == null || token.isBlank() ? null : token;
        }
        if (!bearerHeader && parameters == 0 && !cookieName.isEmpty()) {
            String cookie = cookies.apply(cookieName);
            return cookie == null || cookie.isEmpty() ? null : cookie;
        }
        return null;
    }

    /** Only the admin grant is an authority (for the URL rules); channels are checked by {@link ChannelAccess}. */
    static JwtAuthenticationToken authentication(Jwt jwt, ChannelAccess channelAccess) {
        List<GrantedAuthority> authorities = channelAccess.grantsOf(jwt).admin()
                ? List.of(new SimpleGrantedAuthority(SecurityConfiguration.ADMIN)) : List.of();
        return new JwtAuthenticationToken(jwt, authorities, jwt.getSubject());
    }
}
