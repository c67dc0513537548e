package dev.ssebridge.bridge.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ssebridge.bridge.support.BridgeFixture;
import dev.ssebridge.bridge.support.SseClient;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class StatusIT {

    @RegisterExtension
    final BridgeFixture fixture = BridgeFixture.withPartitions(2);

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void noConnections() {
        JsonNode status = status();

        assertThat(status.get("status").asString()).isEqualTo("active");
        assertThat(status.get("total_connections").asInt()).isZero();
        assertThat(status.get("channels").propertyNames()).containsExactlyInAnyOrder("training", "backtest", "alerts", "dashboard");
        for (JsonNode channel : status.get("channels")) {
            assertThat(channel.get("connection_count").asInt()).isZero();
            assertThat(channel.get("clients")).isEmpty();
        }
        assertThat(status.at("/channels/alerts/topic").asString()).isEqualTo(fixture.channels().topic("alerts"));
    }

    @Test
    void severalConnectionsAndBackToZeroAfterTheyClose() {
        List<SseClient> clients = List.of(
                fixture.bridge().connect("/api/v1/sse/training?client_id=t1"),
                fixture.bridge().connect("/api/v1/sse/training?client_id=t2"),
                fixture.bridge().connect("/api/v1/sse/alerts?client_id=a1"));
        clients.forEach(SseClient::awaitConnected);

        JsonNode status = status();
        assertThat(status.get("total_connections").asInt()).isEqualTo(3);
        assertThat(status.at("/channels/training/connection_count").asInt()).isEqualTo(2);
        assertThat(status.at("/channels/training/clients")).extracting(JsonNode::asString).containsExactly("t1", "t2");
        assertThat(status.at("/channels/alerts/clients")).extracting(JsonNode::asString).containsExactly("a1");
        assertThat(status.at("/channels/dashboard/connection_count").asInt()).isZero();

        clients.forEach(SseClient::close);

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(status().get("total_connections").asInt()).isZero());
        assertThat(status().at("/channels/training/clients")).isEmpty();
    }

    private JsonNode status() {
        return JSON.readTree(fixture.bridge().webClient().get().uri("/api/v1/sse/status")
                .retrieve().bodyToMono(String.class).block(Duration.ofSeconds(10)));
    }
}
