package dev.ssebridge.bridge.apidoc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ssebridge.bridge.support.BridgeFixture;
import dev.ssebridge.bridge.support.RunningBridge;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The AsyncAPI document a deployment serves at {@code /asyncapi.json} is made from its configuration, and the AsyncAPI
 * project's own parser ({@code @asyncapi/parser}, run by Node from {@code .ci/asyncapi}) accepts it: for the seed's
 * channels, and for a deployment of its own with a channel of Avro records, whose fields it names.
 */
class AsyncApiIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String QUOTE = """
            {"type":"record","name":"Quote","namespace":"markets","doc":"A price quote","fields":[
              {"name":"symbol","type":"string"},
              {"name":"bid","type":"double","doc":"best bid"},
              {"name":"size","type":["null","long"],"default":null},
              {"name":"side","type":{"type":"enum","name":"Side","symbols":["buy","sell"]}},
              {"name":"quoted_at","type":{"type":"long","logicalType":"timestamp-millis"}}]}""";

    @RegisterExtension
    static final BridgeFixture fixture = BridgeFixture.withPartitions(1);

    @TempDir
    static Path dir;

    @Test
    void theSeedsChannelsAreDescribedWithTheirTopicsFiltersAndValueSchemas() throws Exception {
        String text = get(fixture.bridge());
        JsonNode api = JSON.readTree(text);
        assertThat(api.get("asyncapi").asString()).isEqualTo("3.0.0");
        assertThat(api.get("channels").propertyNames()).contains("training", "backtest", "alerts", "dashboard", "stream");
        assertThat(api.at("/channels/training/address").asString()).isEqualTo("/api/v1/sse/training");
        assertThat(api.at("/channels/training/description").asString()).contains(fixture.topic("training"));
        assertThat(api.at("/channels/training/messages").propertyNames())
                .contains("training_record", "connected", "ping", "stream_end", "replay_gap", "delete", "snapshot_end");
        assertThat(api.at("/channels/alerts/messages").propertyNames()).doesNotContain("snapshot_end");
        assertThat(api.at("/components/schemas/training_value/properties").propertyNames())
                .contains("task_id", "progress", "status");
        assertThat(api.at("/components/messages/training_record/name").asString()).isEqualTo("training_progress");
        JsonNode trainingQuery = api.at("/operations/receive_training/bindings/http/query/properties");
        assertThat(trainingQuery.propertyNames()).contains("task_id", "key", "where", "snapshot", "max_rate")
                .doesNotContain("min_severity");
        assertThat(api.at("/operations/receive_alerts/bindings/http/query/properties").propertyNames())
                .contains("entity_id", "min_severity").doesNotContain("max_rate");
        assertThat(api.at("/servers/bridge/host").asString()).endsWith(":" + fixture.bridge().port());
        validate("seed", text);
    }

    @Test
    void aChannelOfAvroRecordsIsDescribedByTheFieldsOfItsSchema() throws Exception {
        Path avsc = dir.resolve("quote.avsc");
        Files.writeString(avsc, QUOTE, StandardCharsets.UTF_8);
        RunningBridge own = fixture.startAnother(Map.of("bridge.channel-set", "none",
                "bridge.channels.quotes.topic", fixture.topic("alerts"),
                "bridge.channels.quotes.event-name", "quote",
                "bridge.channels.quotes.key-parameter", "symbol",
                "bridge.channels.quotes.value-format", "avro",
                "bridge.channels.quotes.schema-file", avsc.toString()));
        String text = get(own);
        JsonNode api = JSON.readTree(text);
        JsonNode quote = api.at("/components/schemas/quotes_value");
        assertThat(quote.get("title").asString()).isEqualTo("Quote");
        assertThat(quote.get("properties").propertyNames()).containsExactly("symbol", "bid", "size", "side", "quoted_at");
        assertThat(quote.at("/properties/quoted_at/format").asString()).isEqualTo("date-time");
        assertThat(quote.at("/properties/side/enum")).extracting(JsonNode::asString).containsExactly("buy", "sell");
        assertThat(quote.at("/properties/bid/description").asString()).isEqualTo("best bid");
        assertThat(api.at("/channels/quotes/description").asString()).contains("avro");
        assertThat(api.at("/operations/receive_quotes/bindings/http/query/properties").propertyNames())
                .contains("symbol");
        assertThat(api.at("/components/messages/quotes_record/name").asString()).isEqualTo("quote");
        validate("avro", text);
    }

    private static String get(RunningBridge bridge) {
        return bridge.webClient().get().uri("/asyncapi.json").retrieve().bodyToMono(String.class).block(WAIT);
    }

    /**
     * The AsyncAPI parser's verdict, where Node and the parser are installed ({@code npm ci} in {@code .ci/asyncapi},
     * which CI does); skipped otherwise, unless {@code SSEBRIDGE_REQUIRE_ASYNCAPI=true} makes that a failure.
     */
    private static void validate(String name, String document) throws IOException, InterruptedException {
        Path checker = Path.of("..", ".ci", "asyncapi").toAbsolutePath().normalize();
        boolean installed = Files.isDirectory(checker.resolve("node_modules/@asyncapi/parser"));
        if (!installed && !Boolean.parseBoolean(System.getenv("SSEBRIDGE_REQUIRE_ASYNCAPI"))) {
            Assumptions.abort("no @asyncapi/parser in " + checker + ": run npm ci there");
        }
        assertThat(installed).as("@asyncapi/parser installed in %s", checker).isTrue();
        Path file = Files.createTempFile(dir, "asyncapi-" + name, ".json");
        Files.writeString(file, document, StandardCharsets.UTF_8);
        Process node = new ProcessBuilder(List.of("node", checker.resolve("validate.mjs").toString(), file.toString()))
                .redirectErrorStream(true).start();
        String output = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(node.waitFor(60, TimeUnit.SECONDS)).as("the parser finished").isTrue();
        LoggerFactory.getLogger(AsyncApiIT.class).info("AsyncAPI parser on the {} document:\n{}", name, output);
        List<String> errors = new ArrayList<>(output.lines().filter(line -> line.startsWith("error")).toList());
        assertThat(node.exitValue()).as("the AsyncAPI parser's verdict:\n%s", output).isZero();
        assertThat(errors).isEmpty();
        assertThat(output).contains("valid AsyncAPI 3.0.0");
    }
}
