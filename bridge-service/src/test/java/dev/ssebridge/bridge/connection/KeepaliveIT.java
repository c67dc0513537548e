package dev.ssebridge.bridge.connection;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ssebridge.bridge.support.RunningBridge;
import dev.ssebridge.bridge.support.SseClient;
import dev.ssebridge.bridge.support.TestChannels;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KeepaliveIT {

    @Test
    void pingsArriveAtTheConfiguredInterval() {
        try (RunningBridge bridge = RunningBridge.start(TestChannels.create(1),
                Map.of("bridge.stream.ping-interval", "200ms"));
             SseClient client = bridge.connect("/api/v1/sse/training")) {
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
