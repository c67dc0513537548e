package dev.ssebridge.bridge.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ssebridge.bridge.channel.Channels;
import dev.ssebridge.bridge.cursor.CursorCodec;
import dev.ssebridge.bridge.cursor.TopicIncarnation;
import dev.ssebridge.bridge.support.BridgeFixture;
import dev.ssebridge.bridge.support.RunningBridge;
import dev.ssebridge.bridge.support.SseClient;
import dev.ssebridge.testsupport.InProcessKafkaBroker;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Kafka refusing the bridge for good (wrong credentials, no ACL to read a topic) is not an outage to wait out:
 * the channel's tail fails, with Kafka's reason in status and health (a tail that retried would stay
 * "starting" forever), and the channels the bridge may read go on. A failed channel carries no record, so every
 * request for it is answered 503 at once. Against a real broker with SASL/PLAIN and enforced ACLs.
 */
class KafkaRefusalIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    /**
     * How soon a failed channel's 503 must come: well under the 30 s a request waits for a channel about to read
     * (bridge.replay.idle-timeout), which is what it got before.
     */
    private static final Duration AT_ONCE = Duration.ofSeconds(5);
    /** How long a request is given at all: a stream that answers 200 and then nothing is cut off after it. */
    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(10);
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    /** On a broker of its own with SASL and ACLs, for the class; each test starts a bridge with its credentials. */
    @RegisterExtension
    static final BridgeFixture fixture = BridgeFixture.withPartitions(1)
            .onOwnBroker(InProcessKafkaBroker::startWithSaslAndAcls).tailsNotAwaited().startedByEachTest();

    @BeforeAll
    static void grantTheUserEveryTopicButTheAlertsOne() {
        ((InProcessKafkaBroker) fixture.broker()).grantRead(
                List.of(fixture.topic("training"), fixture.topic("backtest"), fixture.topic("dashboard")));
    }

    @Test
    void aTopicTheBridgeMayNotReadFailsItsChannelOnceAndTheOthersRead() throws Exception {
        RunningBridge bridge = fixture.start(sasl(InProcessKafkaBroker.SASL_USER_PASSWORD));
        await().atMost(WAIT).untilAsserted(() -> {
            JsonNode status = JSON.readTree(bridge.get("/api/v1/sse/status"));
            assertThat(status.at("/channels/alerts/state").asString()).isEqualTo("failed");
            assertThat(status.at("/channels/alerts/error").asString()).startsWith("authorization:");
            for (String channel : List.of("training", "backtest", "dashboard")) {
                assertThat(status.at("/channels/" + channel + "/state").asString()).isEqualTo("reading");
                assertThat(status.at("/channels/" + channel + "/error").isMissingNode()).isTrue();
            }
        });
        JsonNode health = JSON.readTree(bridge.getWhateverStatus("/actuator/health"));
        assertThat(health.at("/components/kafka/status").asString()).isEqualTo("DOWN");
        assertThat(health.at("/components/kafka/details/failed_channels/alerts").asString())
                .startsWith("authorization:");
        // One tail consumer per readable channel; the refused one's is closed, not retried.
        await().atMost(WAIT).until(() -> bridge.openKafkaConsumers() == 3);
    }

    @Test
    void refusedCredentialsFailEveryChannelWithTheReason() throws Exception {
        RunningBridge bridge = fixture.start(sasl("not-the-password"));
        await().atMost(WAIT).untilAsserted(() -> {
            JsonNode status = JSON.readTree(bridge.get("/api/v1/sse/status"));
            for (String channel : List.of("training", "backtest", "alerts", "dashboard")) {
                assertThat(status.at("/channels/" + channel + "/state").asString()).isEqualTo("failed");
                assertThat(status.at("/channels/" + channel + "/error").asString()).startsWith("authentication:");
            }
        });
        JsonNode health = JSON.readTree(bridge.getWhateverStatus("/actuator/health"));
        assertThat(health.at("/components/kafka/status").asString()).isEqualTo("DOWN");
        assertThat(health.at("/components/kafka/details/failed_channels").size()).isEqualTo(4);
        await().atMost(WAIT).until(() -> bridge.openKafkaConsumers() == 0);
    }

    @Test
    void aChannelWhoseCredentialsAreRefusedIsAnswered503AtOnceOnEveryPath() throws Exception {
        String wrongPassword = "not-the-password";
        RunningBridge bridge = fixture.start(sasl(wrongPassword));
        await().atMost(WAIT).until(() -> JSON.readTree(bridge.get("/api/v1/sse/status"))
                .at("/channels/training/state").asString().equals("failed"));
        String cursor = bridge.bean(CursorCodec.class)
                .encode(bridge.bean(Channels.class).require("training"), TopicIncarnation.UNKNOWN, new long[] {0});
        Map<String, String> streams = new LinkedHashMap<>();
        streams.put("live", "/api/v1/sse/training");
        streams.put("resume (Last-Event-ID)", "/api/v1/sse/training");
        streams.put("resume (last_event_id)", "/api/v1/sse/training?last_event_id=" + cursor);
        streams.put("replay (from=earliest)", "/api/v1/sse/training?from=earliest");
        streams.put("replay (since)", "/api/v1/sse/training?since=PT1M");
        streams.put("snapshot", "/api/v1/sse/training?snapshot=true");
        streams.put("multiplexed", "/api/v1/sse/stream?channels=training,alerts");
        SoftAssertions softly = new SoftAssertions();
        for (Map.Entry<String, String> stream : streams.entrySet()) {
            Map<String, String> headers = stream.getKey().contains("Last-Event-ID")
                    ? Map.of("Accept", "text/event-stream", "Last-Event-ID", cursor)
                    : Map.of("Accept", "text/event-stream");
            assertRefusedAtOnce(softly, stream.getKey(), ask(bridge, stream.getValue(), headers), "training",
                    "authentication", wrongPassword);
        }
        for (String history : List.of("/api/v1/sse/history/training", "/api/v1/sse/history/training?since=PT1M")) {
            Answer answer = ask(bridge, history, Map.of("Accept", "application/json"));
            assertRefusedAtOnce(softly, "history " + history, answer, "training", "authentication", wrongPassword);
        }
        softly.assertAll();
    }

    @Test
    void aStreamOfAReadChannelAndAFailedOneIsAnswered503AtOnceAndTheReadOneStreamsAlone() throws Exception {
        RunningBridge bridge = fixture.start(sasl(InProcessKafkaBroker.SASL_USER_PASSWORD));
        await().atMost(WAIT).untilAsserted(() -> {
            JsonNode status = JSON.readTree(bridge.get("/api/v1/sse/status"));
            assertThat(status.at("/channels/alerts/state").asString()).isEqualTo("failed");
            assertThat(status.at("/channels/training/state").asString()).isEqualTo("reading");
        });
        SoftAssertions softly = new SoftAssertions();
        for (String stream : List.of("/api/v1/sse/stream?channels=training,alerts",
                "/api/v1/sse/stream?channels=training,alerts&from=earliest")) {
            assertRefusedAtOnce(softly, stream, ask(bridge, stream, Map.of("Accept", "text/event-stream")), "alerts",
                    "authorization", InProcessKafkaBroker.SASL_USER_PASSWORD);
        }
        softly.assertAll();
        try (SseClient training = bridge.connect("/api/v1/sse/training?from=earliest")) {
            training.awaitConnected();
        }
    }

    /** What a request got, or a status of 0 when nothing came within {@link #ANSWER_TIMEOUT}. */
    private record Answer(int status, String contentType, String retryAfter, JsonNode body, String text,
                          Duration took) {
    }

    /**
     * GET {@code pathAndQuery}, timed from the request until its headers; the body is read only from an error (a
     * stream's would not end).
     */
    private static Answer ask(RunningBridge bridge, String pathAndQuery, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(bridge.baseUrl() + pathAndQuery))
                .timeout(ANSWER_TIMEOUT);
        headers.forEach(request::header);
        long start = System.nanoTime();
        HttpResponse<InputStream> response;
        try {
            response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (HttpTimeoutException e) {
            return new Answer(0, null, null, null, "", Duration.ofNanos(System.nanoTime() - start));
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        try (InputStream body = response.body()) {
            String text = response.statusCode() == 200 ? "" : new String(body.readAllBytes(), StandardCharsets.UTF_8);
            return new Answer(response.statusCode(), response.headers().firstValue("Content-Type").orElse(null),
                    response.headers().firstValue("Retry-After").orElse(null),
                    text.isEmpty() ? null : JSON.readTree(text), text, took);
        }
    }

    private static void assertRefusedAtOnce(SoftAssertions softly, String path, Answer answer, String channel,
                                            String reason, String password) {
        softly.assertThat(answer.status()).as("%s: status (0: no answer within %s)", path, ANSWER_TIMEOUT)
                .isEqualTo(503);
        softly.assertThat(answer.took()).as("%s: answered after", path).isLessThan(AT_ONCE);
        softly.assertThat(answer.contentType()).as("%s: content type", path).startsWith("application/problem+json");
        softly.assertThat(answer.retryAfter()).as("%s: Retry-After", path).isNotBlank();
        if (answer.body() == null) {
            softly.fail("%s: no problem body", path);
            return;
        }
        softly.assertThat(answer.body().at("/type").asString()).as("%s: type", path).endsWith("/channel-failed");
        softly.assertThat(answer.body().at("/channel").asString()).as("%s: channel", path).isEqualTo(channel);
        softly.assertThat(answer.body().at("/state").asString()).as("%s: state", path).isEqualTo("failed");
        softly.assertThat(answer.body().at("/reason").asString()).as("%s: reason", path).isEqualTo(reason);
        softly.assertThat(answer.text()).as("%s: body", path).doesNotContain(password);
    }

    /** The bridge's settings for the SASL broker as the test user, with a short retry interval. */
    private static Map<String, Object> sasl(String password) {
        return Map.of(
                "bridge.kafka.topic-retry-interval", "200ms",
                "bridge.kafka.properties.security.protocol", "SASL_PLAINTEXT",
                "bridge.kafka.properties.sasl.mechanism", "PLAIN",
                "bridge.kafka.properties.sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule "
                        + "required username=\"" + InProcessKafkaBroker.SASL_USER + "\" password=\"" + password + "\";");
    }
}
