package dev.ssebridge.bridge.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ssebridge.bridge.support.BridgeFixture;
import dev.ssebridge.bridge.support.CapturedLog;
import dev.ssebridge.bridge.support.RunningBridge;
import dev.ssebridge.bridge.support.SseClient;
import dev.ssebridge.testsupport.InProcessKafkaBroker;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A bridge Kafka refuses stops asking until its next attempt, and a fix on the broker's side takes without a restart.
 * Before, a bridge with a wrong password had its admin client log in about once a second for ever, each time a
 * failed login at the broker and, in the bridge's log, an ERROR line and a WARN with a 21-frame stack trace; and a
 * tail refused a topic stayed failed until the bridge restarted. Against a real broker with SASL/PLAIN and ACLs.
 */
class KafkaRefusalBackoffIT {

    private static final org.slf4j.Logger log = LoggerFactory.getLogger(KafkaRefusalBackoffIT.class);
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    /** The back-off in the refused-credentials test: fixed, so that the window holds a known number of attempts. */
    private static final Duration STEP = Duration.ofSeconds(3);
    private static final Duration WINDOW = Duration.ofSeconds(9);

    @RegisterExtension
    static final BridgeFixture fixture = BridgeFixture.withPartitions(1)
            .onOwnBroker(InProcessKafkaBroker::startWithSaslAndAcls).tailsNotAwaited().startedByEachTest();

    @BeforeAll
    static void grantTheUserEveryTopicButTheTrainingOne() throws Exception {
        grant(List.of("backtest", "alerts", "dashboard"));
    }

    @Test
    void refusedCredentialsAreTriedOncePerStepWithOneLogLineEachAndNoStackTrace() throws Exception {
        RunningBridge bridge = fixture.start(sasl("not-the-password", STEP, STEP));
        await().atMost(WAIT).untilAsserted(() -> {
            JsonNode status = JSON.readTree(bridge.get("/api/v1/sse/status"));
            assertThat(status.at("/kafka/status").asString()).isEqualTo("refused");
            assertThat(status.at("/kafka/error").asString()).startsWith("authentication:");
            for (String channel : List.of("training", "backtest", "alerts", "dashboard")) {
                assertThat(status.at("/channels/" + channel + "/state").asString()).isEqualTo("failed");
                assertThat(status.at("/channels/" + channel + "/next_attempt").asString()).isNotEmpty();
            }
        });
        InProcessKafkaBroker broker = (InProcessKafkaBroker) fixture.broker();
        long failedBefore = broker.failedAuthentications();
        // A window of time is what is measured here: attempts per window, lines per window.
        List<String> fromTheBridge = CapturedLog.warningsOver(WINDOW);
        long failedLogins = broker.failedAuthentications() - failedBefore;
        long steps = WINDOW.toMillis() / STEP.toMillis();
        log.info("In {} of refused credentials: {} failed logins at the broker, {} warnings and errors: {}", WINDOW,
                failedLogins, fromTheBridge.size(), fromTheBridge);
        // One attempt per step, made by one client: the admin client's request. Before, ~1 a second.
        assertThat(failedLogins).as("failed logins at the broker in %s", WINDOW).isBetween(1L, steps + 1);
        // Per attempt at most the bridge's line and Kafka's NetworkClient line; no stack trace.
        assertThat(fromTheBridge).as("warnings and errors in %s", WINDOW).hasSizeLessThanOrEqualTo((int) (2 * (steps + 1)));
        assertThat(fromTheBridge).as("stack traces").noneMatch(line -> line.contains("[stack trace:"));
        // A client is told to come back when the bridge tries again, not later.
        HttpResponse<String> refused = HTTP.send(HttpRequest.newBuilder(URI.create(bridge.baseUrl() + "/api/v1/sse/training"))
                .header("Accept", "text/event-stream").timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(Integer.parseInt(refused.headers().firstValue("Retry-After").orElseThrow()))
                .isBetween(1, (int) Math.max(STEP.toSeconds() + 1, 5));
    }

    @Test
    void aTopicGrantedWhileItsChannelIsRefusedIsReadAtTheNextAttemptWithoutARestart() throws Exception {
        RunningBridge bridge = fixture.start(sasl(InProcessKafkaBroker.SASL_USER_PASSWORD, Duration.ofSeconds(1),
                Duration.ofSeconds(2)));
        await().atMost(WAIT).untilAsserted(() -> {
            JsonNode status = JSON.readTree(bridge.get("/api/v1/sse/status"));
            assertThat(status.at("/channels/training/state").asString()).isEqualTo("failed");
            assertThat(status.at("/channels/training/error").asString()).startsWith("authorization:");
            Instant next = Instant.parse(status.at("/channels/training/next_attempt").asString());
            assertThat(next).isBefore(Instant.now().plusSeconds(3));
            assertThat(status.at("/channels/backtest/state").asString()).isEqualTo("reading");
        });
        grant(List.of("training"));
        await().atMost(WAIT).until(() -> JSON.readTree(bridge.get("/api/v1/sse/status"))
                .at("/channels/training/state").asString().equals("reading"));
        try (SseClient training = bridge.connect("/api/v1/sse/training")) {
            training.awaitConnected();
            fixture.producer().send(fixture.topic("training"), "task-1", "{\"task_id\":\"task-1\",\"seq\":1}");
            assertThat(training.awaitNamed("training_progress", 1, WAIT)).hasSize(1);
        }
    }

    private static void grant(List<String> channels) {
        ((InProcessKafkaBroker) fixture.broker()).grantRead(channels.stream().map(fixture::topic).toList());
    }

    /** The bridge's settings for the SASL broker as the test user, with the given back-off. */
    private static Map<String, Object> sasl(String password, Duration retry, Duration retryMax) {
        return Map.of(
                "bridge.kafka.topic-retry-interval", "200ms",
                "bridge.kafka.monitor-interval", "250ms",
                "bridge.kafka.refusal-retry", retry.toMillis() + "ms",
                "bridge.kafka.refusal-retry-max", retryMax.toMillis() + "ms",
                "bridge.kafka.properties.security.protocol", "SASL_PLAINTEXT",
                "bridge.kafka.properties.sasl.mechanism", "PLAIN",
                "bridge.kafka.properties.sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule "
                        + "required username=\"" + InProcessKafkaBroker.SASL_USER + "\" password=\"" + password + "\";");
    }
}
