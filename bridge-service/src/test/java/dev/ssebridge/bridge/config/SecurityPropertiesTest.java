package dev.ssebridge.bridge.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** The security settings refuse to start half-configured, and never print the secret. */
class SecurityPropertiesTest {

    private static Set<String> violations(Map<String, String> settings) {
        return SettingsViolations.of(settings);
    }

    @Test
    void offByDefaultAndValidWithoutAKey() {
        assertThat(violations(Map.of())).isEmpty();
    }

    @Test
    void enabledNeedsExactlyOneKeySource() {
        assertThat(violations(Map.of("bridge.security.enabled", "true")))
                .anyMatch(v -> v.contains("exactly one of hmac-secret, jwk-set-uri, issuer-uri"));
        assertThat(violations(Map.of("bridge.security.enabled", "true",
                "bridge.security.hmac-secret", "0123456789abcdef0123456789abcdef",
                "bridge.security.jwk-set-uri", "https://idp.example.test/jwks"))).isNotEmpty();
        assertThat(violations(Map.of("bridge.security.enabled", "true",
                "bridge.security.jwk-set-uri", "https://idp.example.test/jwks"))).isEmpty();
    }

    @Test
    void shortSecretsAndChannelRulesOutsideHistoryAreRefused() {
        assertThat(violations(Map.of("bridge.security.enabled", "true", "bridge.security.hmac-secret", "too-short")))
                .anyMatch(v -> v.contains("at least 32 bytes"));
        assertThat(violations(Map.of("bridge.security.status-access", "channel")))
                .anyMatch(v -> v.contains("status-access"));
    }

    @Test
    void theSecretIsNeverPrinted() {
        String secret = "0123456789abcdef0123456789abcdef-secret";
        BridgeProperties properties = new Binder(new MapConfigurationPropertySource(Map.of(
                "bridge.channels.training.topic", "t", "bridge.channels.training.event-name", "training_progress",
                "bridge.security.hmac-secret", secret))).bind("bridge", BridgeProperties.class).get();
        assertThat(properties.toString()).doesNotContain(secret);
    }
}
