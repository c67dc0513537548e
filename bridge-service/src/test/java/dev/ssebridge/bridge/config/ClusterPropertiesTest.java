package dev.ssebridge.bridge.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Further Kafka clusters: a channel names one that is configured, and each gets its own settings and registry. */
class ClusterPropertiesTest {

    @Test
    void aChannelOnANamedClusterStartsAndOneOnAnUnknownClusterDoesNot() {
        assertThat(SettingsViolations.of(Map.of("bridge.clusters.risk.bootstrap-servers", "risk:9092",
                "bridge.channels.training.cluster", "risk"))).isEmpty();
        assertThat(SettingsViolations.of(Map.of("bridge.channels.training.cluster", "risk")))
                .anyMatch(v -> v.contains("must be 'default' or one of bridge.clusters"));
        assertThat(SettingsViolations.of(Map.of("bridge.channels.training.cluster", "default")))
                .as("named as status names it").isEmpty();
        assertThat(SettingsViolations.of(Map.of("bridge.clusters.default.bootstrap-servers", "x:9092")))
                .as("default is bridge.kafka").anyMatch(v -> v.contains("not be 'default'"));
        assertThat(SettingsViolations.of(Map.of("bridge.clusters.risk.properties.security.protocol", "SSL")))
                .as("no bootstrap servers").anyMatch(v -> v.contains("bootstrapServers"));
    }

    @Test
    void eachClusterHasItsOwnClientSettingsAndItsRegistryOrTheSharedOne() {
        BridgeProperties properties = SettingsViolations.bind(Map.of(
                "bridge.kafka.bootstrap-servers", "main:9092",
                "bridge.kafka.properties.security.protocol", "SASL_SSL",
                "bridge.schema-registry.urls", "http://shared:8081",
                "bridge.clusters.risk.bootstrap-servers", "risk:9092",
                "bridge.clusters.risk.properties.security.protocol", "SSL",
                "bridge.clusters.ops.bootstrap-servers", "ops:9092",
                "bridge.clusters.ops.schema-registry.urls", "http://ops-registry:8081"));

        BridgeProperties.ClusterProperties main = properties.cluster(BridgeProperties.DEFAULT_CLUSTER);
        assertThat(main.bootstrapServers()).isEqualTo("main:9092");
        assertThat(main.properties()).containsEntry("security.protocol", "SASL_SSL");
        BridgeProperties.ClusterProperties risk = properties.cluster("risk");
        assertThat(risk.properties()).containsExactly(Map.entry("security.protocol", "SSL"));
        assertThat(risk.schemaRegistry().urls()).extracting(Object::toString).containsExactly("http://shared:8081");
        assertThat(properties.cluster("ops").schemaRegistry().urls()).extracting(Object::toString)
                .containsExactly("http://ops-registry:8081");
        assertThat(properties.cluster("ops").properties()).isEmpty();
        assertThat(risk.toString()).doesNotContain("SSL").contains("security.protocol");
    }
}
