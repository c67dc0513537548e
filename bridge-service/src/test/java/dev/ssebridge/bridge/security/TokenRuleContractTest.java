package dev.ssebridge.bridge.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpCookie;
import org.springframework.http.HttpMethod;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;

/**
 * The route's one-token rule ({@link StreamAuthentication#soleToken}) against the security chain's converter
 * ({@link TokenResolver}: Spring Security's bearer-token converter, query parameter allowed, then the cookie),
 * on every combination of header, query parameters and cookie below: where the chain finds a token the route
 * finds the same one; where the chain finds none or refuses the request, the route finds none (and hands the
 * request to the chain, which answers).
 */
class TokenRuleContractTest {

    private static final String COOKIE = "sse_token";
    private static final List<String> HEADERS = Arrays.asList(null, "Bearer t1", "bearer t1", "BEARER t1",
            "Bearer  t1", "Bearer t1 ", "Bearer t1==", "Bearer t.1-_~+/", "Bearer t!1", "Bearer", "Bearer ",
            "Basic dXNlcjpwdw==", "Bearer t1, Bearer t2", "Bearertoken", "Token t1");
    private static final List<List<String>> PARAMETERS = List.of(List.of(), List.of("t2"), List.of(""), List.of("t2", "t3"),
            List.of("t%202"), List.of("t2=="));
    private static final List<String> COOKIES = Arrays.asList(null, "t3", "");

    @Test
    void theRouteFindsTheTokenTheChainFindsAndNoneWhereTheChainFindsNoneOrRefuses() {
        TokenResolver chain = new TokenResolver(COOKIE);
        int tokens = 0;
        int cases = 0;
        for (String header : HEADERS) {
            for (List<String> parameters : PARAMETERS) {
                for (String cookie : COOKIES) {
                    for (String cookieName : List.of(COOKIE, "")) {
                        MockServerHttpRequest request = request(header, parameters, cookie);
                        String expected = chainToken(cookieName.isEmpty() ? new TokenResolver("") : chain, request);
                        List<String> routeParameters = request.getQueryParams().get("access_token");
                        String route = StreamAuthentication.soleToken(header, routeParameters,
                                name -> request.getCookies().getFirst(name) == null ? null
                                        : request.getCookies().getFirst(name).getValue(), cookieName);
                        assertThat(route).as("header %s, access_token %s, cookie %s (cookie name '%s')", header,
                                parameters, cookie, cookieName).isEqualTo(expected);
                        cases++;
                        tokens += expected == null ? 0 : 1;
                    }
                }
            }
        }
        assertThat(tokens).as("cases where the chain found a token").isGreaterThan(cases / 10);
    }

    /** The token the chain authenticates with, or null when it finds none or refuses the request (401). */
    private static String chainToken(TokenResolver chain, MockServerHttpRequest request) {
        try {
            Authentication authentication = chain.convert(MockServerWebExchange.from(request)).block();
            return authentication == null ? null : ((BearerTokenAuthenticationToken) authentication).getToken();
        } catch (RuntimeException refused) {
            return null;
        }
    }

    private static MockServerHttpRequest request(String header, List<String> parameters, String cookie) {
        List<String> query = new ArrayList<>();
        for (String parameter : parameters) {
            // Already-encoded values ("%20") are sent as they are; the others as a browser would encode them.
            query.add("access_token=" + (parameter.contains("%") ? parameter
                    : URLEncoder.encode(parameter, StandardCharsets.UTF_8)));
        }
        URI uri = URI.create("http://localhost/api/v1/sse/training" + (query.isEmpty() ? "" : "?" + String.join("&", query)));
        MockServerHttpRequest.BaseBuilder<?> builder = MockServerHttpRequest.method(HttpMethod.GET, uri);
        if (header != null) {
            builder.header("Authorization", header);
        }
        if (cookie != null) {
            builder.cookie(new HttpCookie(COOKIE, cookie));
        }
        return builder.build();
    }
}
