package dev.ssebridge.bridge.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ssebridge.bridge.support.BridgeFixture;
import java.time.Duration;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class ErrorResponsesIT {

    @RegisterExtension
    static final BridgeFixture fixture = BridgeFixture.withPartitions(1);

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @ParameterizedTest
    @ValueSource(strings = {"text/event-stream", "application/json", "*/*"})
    void unknownChannelIsNotFoundProblemJsonWhateverTheClientAccepts(String accept) {
        ResponseEntity<String> response = get("/api/v1/sse/portfolio", accept);

        assertThat(response.getStatusCode().value()).isEqualTo(404);
        assertThat(response.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
        JsonNode problem = JSON.readTree(response.getBody());
        assertThat(problem.get("status").asInt()).isEqualTo(404);
        assertThat(problem.get("title").asString()).isEqualTo("Unknown channel");
        assertThat(problem.get("detail").asString()).contains("'portfolio'").contains("training");
        assertThat(problem.get("channel").asString()).isEqualTo("portfolio");
    }

    @ParameterizedTest
    @ValueSource(strings = {"has space", "a/b", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "<script>"})
    void unacceptableClientIdIsBadRequestNamingTheParameter(String clientId) {
        ResponseEntity<String> response = fixture.bridge().webClient().get()
                .uri(b -> b.path("/api/v1/sse/training").queryParam("client_id", "{id}").build(clientId))
                .accept(MediaType.TEXT_EVENT_STREAM)
                .exchangeToMono(r -> r.toEntity(String.class))
                .block(Duration.ofSeconds(10));

        assertThat(response.getStatusCode().value()).isEqualTo(400);
        assertThat(response.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(JSON.readTree(response.getBody()).get("parameter").asString()).isEqualTo("client_id");
    }

    private static ResponseEntity<String> get(String path, String accept) {
        return fixture.bridge().webClient().get().uri(path)
                .header("Accept", accept)
                .exchangeToMono(r -> r.toEntity(String.class))
                .block(Duration.ofSeconds(10));
    }
}
