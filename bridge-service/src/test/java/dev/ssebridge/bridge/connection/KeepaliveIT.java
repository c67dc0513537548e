package dev.ssebridge.bridge.connection;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ssebridge.bridge.support.BridgeFixture;
import dev.ssebridge.bridge.support.SseClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class KeepaliveIT {

    @RegisterExtension
    final BridgeFixture fixture = BridgeFixture.withPartitions(1)
            .settings(Map.of("bridge.stream.ping-interval", "200ms"));

    @Test
    void pingsArriveAtTheConfiguredInterval() {
        try (SseClient client = fixture.bridge().connect("/api/v1/sse/training")) {
            client.awaitConnected();

            List<SseClient.Received> pings = client.awaitNamed("ping", 6, Duration.ofSeconds(10));

            // Six pings within 10 s: the configured 200 ms, not the default 30 s. Never faster than configured (a
            // busy machine only makes gaps longer, so no upper bound is asserted).
            long spanMillis = Duration.between(pings.get(0).at(), pings.get(5).at()).toMillis();
            assertThat(spanMillis / 5.0).isGreaterThanOrEqualTo(150.0);
            assertThat(pings.get(0).payload().isObject()).isTrue();
            assertThat(pings.get(0).json().get("timestamp").asString()).endsWith("Z");
            assertThat(pings).allSatisfy(p -> assertThat(p.id()).as("pings carry no id").isNull());
        }
    }
}
