package dev.ssebridge.bridge.apidoc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ssebridge.bridge.support.BridgeFixture;
import dev.ssebridge.bridge.support.RunningBridge;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class OpenApiIT {

    @RegisterExtension
    static final BridgeFixture fixture = BridgeFixture.withPartitions(1);

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static JsonNode api;

    @BeforeAll
    static void start() {
        api = JsonMapper.builder().build().readTree(fixture.bridge().webClient().get().uri("/v3/api-docs")
                .retrieve().bodyToMono(String.class).block(WAIT));
    }

    @Test
    void everyEndpointIsDescribed() {
        assertThat(api.get("openapi").asString()).startsWith("3.1");
        assertThat(api.get("paths").propertyNames()).contains("/api/v1/sse/{channel}", "/api/v1/sse/stream",
                "/api/v1/sse/status", "/api/v1/sse/history/{channel}");
    }

    @Test
    void streamEndpointsDeclareEventStreamsTheirParametersAndProblemResponses() {
        for (String path : List.of("/api/v1/sse/{channel}", "/api/v1/sse/stream")) {
            JsonNode get = api.at("/paths/" + escape(path) + "/get");
            assertThat(get.at("/responses/200/content").propertyNames()).as(path).contains("text/event-stream");
            assertThat(get.at("/responses/200/content/text~1event-stream/schema/$ref").asString())
                    .isEqualTo("#/components/schemas/sse_envelope");
            assertThat(get.at("/responses/400/content").propertyNames()).contains("application/problem+json");
            assertThat(get.at("/responses/503/content").propertyNames()).contains("application/problem+json");
            assertThat(get.at("/responses/429/content").propertyNames()).contains("application/problem+json");
            // Security is off in this bridge: no 401 is documented.
            assertThat(get.at("/responses/401").isMissingNode()).isTrue();
            assertThat(parameters(get)).contains("header:Last-Event-ID", "query:last_event_id", "query:since",
                    "query:from", "query:client_id", "query:key", "query:task_id", "query:backtest_id",
                    "query:portfolio_id", "query:min_severity", "query:snapshot", "query:max_rate", "query:where");
            assertThat(parameters(get)).doesNotContain("query:query");
            assertThat(get.at("/responses/200/description").asString()).as(path).contains("snapshot_end", "gzip");
        }
        JsonNode single = api.at("/paths/" + escape("/api/v1/sse/{channel}") + "/get");
        assertThat(single.at("/responses/404/content").propertyNames()).contains("application/problem+json");
        assertThat(parameters(single)).contains("path:channel");
        JsonNode channel = findParameter(single, "channel");
        assertThat(channel.at("/schema/enum")).extracting(JsonNode::asString)
                .containsExactlyInAnyOrder("training", "backtest", "alerts", "dashboard");
        JsonNode multiplexed = api.at("/paths/" + escape("/api/v1/sse/stream") + "/get");
        assertThat(parameters(multiplexed)).contains("query:channels");
    }

    /**
     * A deployment of its own channels (bridge.channel-set=none: none of the seed's beside them) is described by its
     * configuration: its key parameter and severity field, none of the demo's field names.
     */
    @Test
    void aDeploymentOfItsOwnChannelsIsDescribedByItsConfigurationNotByTheDemosFieldNames() {
        RunningBridge own = fixture.startAnother(Map.of("bridge.channel-set", "none",
                "bridge.channels.orders.topic", fixture.topic("training"),
                "bridge.channels.orders.event-name", "order_update",
                "bridge.channels.orders.key-parameter", "order_id",
                "bridge.channels.orders.severity-field", "urgency"));
        String text = own.webClient().get().uri("/v3/api-docs").retrieve().bodyToMono(String.class).block(WAIT);
        JsonNode ownApi = JsonMapper.builder().build().readTree(text);
        for (String path : List.of("/api/v1/sse/{channel}", "/api/v1/sse/stream", "/api/v1/sse/history/{channel}")) {
            JsonNode get = ownApi.at("/paths/" + escape(path) + "/get");
            assertThat(parameters(get)).as(path).contains("query:key", "query:order_id");
            assertThat(findParameter(get, "order_id").get("description").asString()).startsWith("orders only");
            assertThat(findParameter(get, "min_severity").get("description").asString()).contains("orders");
        }
        assertThat(findParameter(ownApi.at("/paths/" + escape("/api/v1/sse/{channel}") + "/get"), "channel")
                .at("/schema/enum")).extracting(JsonNode::asString).contains("orders");
        List<String> everyParameter = new ArrayList<>();
        ownApi.get("paths").forEach(item -> item.forEach(operation -> {
            if (operation.has("parameters")) {
                everyParameter.addAll(parameters(operation));
            }
        }));
        assertThat(everyParameter).as("the demo's key parameters").noneMatch(p -> p.endsWith(":task_id")
                || p.endsWith(":backtest_id") || p.endsWith(":entity_id") || p.endsWith(":portfolio_id"));
        assertThat(ownApi.at("/info/description").asString()).as("the channels' table: the demo's topics")
                .doesNotContain("mystocks").contains("`orders`");
    }

    @Test
    void historyAndStatusDescribeTheirAnswers() {
        JsonNode history = api.at("/paths/" + escape("/api/v1/sse/history/{channel}") + "/get");
        assertThat(parameters(history)).contains("query:since", "query:limit", "query:key", "query:min_severity",
                "query:where");
        assertThat(history.at("/responses/200/content/application~1json/schema/$ref").asString())
                .endsWith("history_answer");
        assertThat(api.at("/components/schemas/history_answer/properties").propertyNames())
                .contains("channel", "source", "truncated", "cursor", "events");
        JsonNode status = api.at("/paths/" + escape("/api/v1/sse/status") + "/get/responses/200/content");
        assertThat(status.toString()).contains("StatusResponse");
        assertThat(api.at("/components/schemas/StatusResponse/properties").propertyNames())
                .contains("status", "total_connections", "channels");
    }

    @Test
    void eventPayloadSchemasComeFromTheSchemasModule() {
        JsonNode schemas = api.at("/components/schemas");
        assertThat(schemas.propertyNames()).contains("sse_envelope", "training_progress", "backtest_progress",
                "risk_alert", "dashboard_update", "dashboard_update_metrics");
        assertThat(schemas.at("/training_progress/required")).extracting(JsonNode::asString)
                .contains("task_id", "progress", "status", "message");
        assertThat(schemas.at("/risk_alert/properties/severity/enum")).extracting(JsonNode::asString)
                .containsExactlyInAnyOrder("low", "medium", "high", "critical");
        assertThat(schemas.at("/sse_envelope/required")).extracting(JsonNode::asString)
                .containsExactlyInAnyOrder("event", "data", "timestamp");
        assertThat(schemas.toString()).doesNotContain("#/$defs/");
    }

    @Test
    void swaggerUiIsServed() {
        var response = fixture.bridge().webClient().get().uri("/swagger-ui.html")
                .exchangeToMono(r -> r.toEntity(String.class)).block(WAIT);
        assertThat(response.getStatusCode().is2xxSuccessful() || response.getStatusCode().is3xxRedirection()).isTrue();
        String location = response.getHeaders().getLocation() == null ? "/swagger-ui.html"
                : response.getHeaders().getLocation().toString();
        var page = fixture.bridge().webClient().get().uri(location).exchangeToMono(r -> r.toEntity(String.class)).block(WAIT);
        assertThat(page.getStatusCode().value()).isEqualTo(200);
        assertThat(page.getBody()).contains("swagger");
    }

    private static List<String> parameters(JsonNode operation) {
        List<String> out = new ArrayList<>();
        operation.get("parameters").forEach(p -> out.add(p.get("in").asString() + ":" + p.get("name").asString()));
        return out;
    }

    private static JsonNode findParameter(JsonNode operation, String name) {
        for (JsonNode p : operation.get("parameters")) {
            if (p.get("name").asString().equals(name)) {
                return p;
            }
        }
        throw new AssertionError("no parameter " + name);
    }

    private static String escape(String path) {
        return path.replace("~", "~0").replace("/", "~1");
    }
}
