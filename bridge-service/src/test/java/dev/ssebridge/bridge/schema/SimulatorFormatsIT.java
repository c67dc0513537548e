package dev.ssebridge.bridge.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ssebridge.bridge.support.BridgeFixture;
import dev.ssebridge.bridge.support.SimulatorsProcess;
import dev.ssebridge.bridge.support.SseClient;
import dev.ssebridge.bridge.support.TestChannels;
import dev.ssebridge.schemas.EventType;
import dev.ssebridge.schemas.EventValidator;
import dev.ssebridge.testsupport.ApicurioRegistry;
import dev.ssebridge.testsupport.JsonTrees;
import dev.ssebridge.testsupport.TestKafka;
import dev.ssebridge.testsupport.TestSchemaRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The simulators' jar with {@code --format=avro} or {@code --format=protobuf}, registering their schemas in a
 * real Apicurio Registry, through a real broker and the bridge: every SSE payload on all four channels is the
 * JSON contract of {@code schemas/} (what the JSON simulators write), so a page written against the JSON
 * streams works unchanged against Avro or Protobuf topics. The one documented difference: Avro has no
 * "absent", so an optional field the JSON producer leaves out arrives as {@code null}.
 */
class SimulatorFormatsIT {

    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Map<String, String> SIMULATORS = Map.of(
            "training", "training", "backtest", "backtest", "alerts", "risk", "dashboard", "portfolio");

    @RegisterExtension
    final BridgeFixture fixture = BridgeFixture.withPartitions(1).startedByEachTest();

    private final ApicurioRegistry registry = TestSchemaRegistry.registry();
    private final EventValidator validator = new EventValidator();

    @ParameterizedTest
    @ValueSource(strings = {"avro", "protobuf"})
    void simulatedStreamsInARegistryFormatReachClientsAsTheJsonContract(String format) {
        TestChannels channels = fixture.channels();
        Map<String, Object> bridgeSettings = new LinkedHashMap<>();
        bridgeSettings.put("bridge.schema-registry.urls", registry.ccompatUrl());
        SIMULATORS.keySet().forEach(channel -> bridgeSettings.put("bridge.channels." + channel + ".value-format", format));
        try (SimulatorsProcess simulators = SimulatorsProcess.start(simulatorSettings(channels, format),
                     Path.of("target", "simulators-" + format + ".log"));
             SseClient client = fixture.start(bridgeSettings)
                     .connect("/api/v1/sse/stream?channels=training,backtest,alerts,dashboard")) {
            client.awaitConnected();

            await().atMost(WAIT).untilAsserted(() -> {
                assertThat(simulators.isAlive()).as(simulators::output).isTrue();
                for (String event : TestChannels.EVENT_NAMES.values()) {
                    assertThat(client.named(event)).as(event).hasSizeGreaterThanOrEqualTo(3);
                }
            });

            for (String channel : SIMULATORS.keySet()) {
                String event = TestChannels.EVENT_NAMES.get(channel);
                EventType type = EventType.byEventName(event).orElseThrow();
                for (SseClient.Received received : client.named(event)) {
                    JsonNode payload = received.payload();
                    if (format.equals("protobuf")) {
                        assertThat(nullProperties(payload)).as("protobuf leaves unset fields out: %s", payload).isEmpty();
                    }
                    assertThat(validator.validatePayload(type, JsonTrees.withoutNulls(payload).toString()))
                            .as("%s %s", event, payload).isEmpty();
                }
                assertThat(registry.latestVersion(channels.topic(channel) + "-value")).as(channel).isEqualTo(1);
            }
            JsonNode status = JSON.readTree(fixture.bridge().get("/api/v1/sse/status"));
            for (String channel : SIMULATORS.keySet()) {
                status.at("/channels/" + channel + "/skipped_records")
                        .forEach(count -> assertThat(count.asLong()).as(channel).isZero());
            }
        }
    }

    private static Map<String, String> simulatorSettings(TestChannels channels, String format) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("simulators.bootstrap-servers", TestKafka.bootstrapServers());
        settings.put("simulators.seed", "7");
        settings.put("simulators.create-topics", "false");
        settings.put("format", format);
        settings.put("schema-registry-url", TestSchemaRegistry.registry().ccompatUrl());
        settings.put("simulators.risk.portfolios", "10");
        SIMULATORS.forEach((channel, simulator) -> {
            settings.put("simulators." + simulator + ".topic", channels.topic(channel));
            settings.put("simulators." + simulator + ".interval", simulator.equals("risk") ? "20ms" : "50ms");
        });
        return settings;
    }

    private static List<String> nullProperties(JsonNode node) {
        return node.properties().stream().filter(e -> e.getValue().isNull()).map(Map.Entry::getKey).toList();
    }
}
