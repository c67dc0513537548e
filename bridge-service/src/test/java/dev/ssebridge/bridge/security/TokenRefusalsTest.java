package dev.ssebridge.bridge.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.ssebridge.bridge.config.BridgeProperties;
import dev.ssebridge.testsupport.TestTokens;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;

/** Each way a token is refused, through the bridge's own decoder, and the reason a client reads. */
class TokenRefusalsTest {

    private static final ReactiveJwtDecoder DECODER = SecurityConfiguration.decoder(new Binder(
            new MapConfigurationPropertySource(Map.of("bridge.security.enabled", "true",
                    "bridge.security.hmac-secret", TestTokens.SECRET, "bridge.security.issuer", TestTokens.ISSUER)))
            .bind("bridge", BridgeProperties.class).get().security());

    @Test
    void everyRefusalNamesWhatWasWrong() {
        Instant later = Instant.now().plus(Duration.ofMinutes(5));
        assertThat(reason(TestTokens.sign(TestTokens.claims("u", "s", later, TestTokens.ISSUER),
                "another-secret-of-at-least-32-bytes-xxxxx"))).contains("signature does not verify");
        assertThat(reason(TestTokens.sign(TestTokens.claims("u", "s", Instant.now().minus(Duration.ofMinutes(5)),
                TestTokens.ISSUER), TestTokens.SECRET))).startsWith("it expired at 20");
        assertThat(reason(TestTokens.sign(TestTokens.claims("u", "s", later, "https://evil.example.test"),
                TestTokens.SECRET))).contains("issuer");
        assertThat(reason(TestTokens.unsigned(TestTokens.claims("u", "s", later, TestTokens.ISSUER))))
                .contains("unsigned (alg: none)");
        assertThat(reason(TestTokens.sign(new JWTClaimsSet.Builder().subject("u").issuer(TestTokens.ISSUER).build(),
                TestTokens.SECRET))).contains("no exp claim");
        assertThat(reason("not-a-jwt")).contains("not a JWT");
    }

    private static String reason(String token) {
        try {
            DECODER.decode(token).block();
            throw new AssertionError("accepted");
        } catch (RuntimeException e) {
            return TokenRefusals.reason(e, "fallback");
        }
    }
}
