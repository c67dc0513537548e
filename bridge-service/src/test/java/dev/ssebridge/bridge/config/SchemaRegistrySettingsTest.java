package dev.ssebridge.bridge.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SchemaRegistrySettingsTest {

    @Test
    void defaultsApplyAndTrailingSlashesGo() {
        SchemaRegistrySettings settings = SchemaRegistrySettings.of("http://registry:8081/", "https://apicurio/apis/ccompat/v7");

        assertThat(settings.urls()).containsExactly(URI.create("http://registry:8081"), URI.create("https://apicurio/apis/ccompat/v7"));
        assertThat(settings.connectTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(settings.requestTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(settings.cacheSize()).isEqualTo(1000);
        assertThat(settings.ssl()).isEmpty();
    }

    @Test
    void secretsNeverShowInToString() {
        SchemaRegistrySettings basic = new SchemaRegistrySettings(List.of(URI.create("https://r")), "svc:s3cret", null,
                Map.of("ssl.truststore.location", "/t.p12", "ssl.truststore.password", "tspass", "keystore.location", "/k.p12",
                        "keystore.password", "kspass", "key.password", "keypass"), null, null, 5);
        SchemaRegistrySettings bearer = new SchemaRegistrySettings(List.of(URI.create("https://r")), null, "tok3n", null, null, null, null);

        assertThat(basic.toString()).contains("svc:[hidden]", "/t.p12").doesNotContain("s3cret", "tspass", "kspass", "keypass");
        assertThat(bearer.toString()).contains("bearerToken=[hidden]").doesNotContain("tok3n");
    }

    @Test
    void sslKeysAreTheKafkaOnesWithOrWithoutPrefix() {
        SchemaRegistrySettings settings = new SchemaRegistrySettings(List.of(URI.create("https://r")), null, null,
                Map.of("ssl.truststore.location", "/t.jks", "truststore.type", "JKS"), null, null, null);

        assertThat(settings.ssl()).containsOnly(Map.entry("truststore.location", "/t.jks"), Map.entry("truststore.type", "JKS"));
    }

    @Test
    void badSettingsNameTheirKey() {
        assertInvalid(() -> new SchemaRegistrySettings(List.of(), null, null, null, null, null, null), "bridge.schema-registry.urls");
        assertInvalid(() -> SchemaRegistrySettings.of("registry:8081"), "bridge.schema-registry.urls: 'registry:8081' is not an http(s) URL");
        assertInvalid(() -> SchemaRegistrySettings.of("http://u:p@registry"), "put credentials in user-info");
        assertInvalid(() -> new SchemaRegistrySettings(List.of(URI.create("http://r")), "nocolon", null, null, null, null, null),
                "bridge.schema-registry.user-info: must be user:password");
        assertInvalid(() -> new SchemaRegistrySettings(List.of(URI.create("http://r")), "a:b", "t", null, null, null, null),
                "bridge.schema-registry.bearer-token: set user-info or bearer-token, not both");
        assertInvalid(() -> new SchemaRegistrySettings(List.of(URI.create("http://r")), null, null,
                Map.of("ssl.truststore.locaton", "/x"), null, null, null), "bridge.schema-registry.ssl.truststore.locaton: unknown TLS key");
        assertInvalid(() -> new SchemaRegistrySettings(List.of(URI.create("http://r")), null, null,
                Map.of("truststore.type", "PEM", "truststore.location", "/x"), null, null, null), "ssl.truststore.type: must be PKCS12 or JKS");
        assertInvalid(() -> new SchemaRegistrySettings(List.of(URI.create("http://r")), null, null, null, Duration.ZERO, null, null),
                "bridge.schema-registry.connect-timeout: must be positive");
        assertInvalid(() -> new SchemaRegistrySettings(List.of(URI.create("http://r")), null, null, null, null, null, 0),
                "bridge.schema-registry.cache-size: must be at least 1");
    }

    private static void assertInvalid(org.assertj.core.api.ThrowableAssert.ThrowingCallable make, String message) {
        assertThatThrownBy(make).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(message);
    }
}
