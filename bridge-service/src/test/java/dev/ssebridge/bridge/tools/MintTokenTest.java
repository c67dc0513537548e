package dev.ssebridge.bridge.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ssebridge.testsupport.TestTokens;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;

class MintTokenTest {

    @Test
    void aMintedTokenDecodesWithTheBridgesSecretAndCarriesItsClaims() {
        String token = MintToken.mint(new String[] {"--secret", TestTokens.SECRET, "--subject", "alice",
                "--issuer", TestTokens.ISSUER, "--ttl", "PT1H", "--list", "portfolios=portfolio-000",
                "--list", "none=", "--claim", "team=blue"});
        Jwt jwt = NimbusJwtDecoder.withSecretKey(new javax.crypto.spec.SecretKeySpec(
                TestTokens.SECRET.getBytes(java.nio.charset.StandardCharsets.UTF_8), "HmacSHA256"))
                .macAlgorithm(MacAlgorithm.HS256).build().decode(token);
        assertThat(jwt.getSubject()).isEqualTo("alice");
        assertThat(jwt.getClaimAsString("scope")).isEqualTo("sse:*");
        assertThat(jwt.getClaims()).containsEntry("portfolios", List.of("portfolio-000"))
                .containsEntry("none", List.of()).containsEntry("team", "blue");
        assertThat(jwt.getExpiresAt()).isBetween(Instant.now().plusSeconds(3500), Instant.now().plusSeconds(3700));
        assertThat(Map.of("iss", jwt.getClaimAsString("iss"))).containsEntry("iss", TestTokens.ISSUER);
    }

    @Test
    void aShortSecretOrAMissingSubjectIsRefused() {
        assertThatThrownBy(() -> MintToken.mint(new String[] {"--secret", "short", "--subject", "a"}))
                .hasMessageContaining("at least 32 bytes");
        assertThatThrownBy(() -> MintToken.mint(new String[] {"--secret", TestTokens.SECRET}))
                .hasMessageContaining("--subject");
    }
}
