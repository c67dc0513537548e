package dev.ssebridge.bridge.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ssebridge.bridge.support.BridgeFixture;
import dev.ssebridge.bridge.support.CapturedLog;
import dev.ssebridge.bridge.support.RunningBridge;
import dev.ssebridge.bridge.support.SseClient;
import dev.ssebridge.schemas.ConfluentFraming;
import dev.ssebridge.testsupport.ApicurioRegistry;
import dev.ssebridge.testsupport.OAuthTokenServer;
import dev.ssebridge.testsupport.SecuredKafkaBroker;
import dev.ssebridge.testsupport.TestSchemaRegistry;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The bridge against listeners secured as production ones are, configured as the README says: mutual TLS and
 * SCRAM-SHA-512 over TLS stream every record once and in order; a bridge without its client certificate is refused
 * with the TLS reason in status, tries again once per back-off step, and logs no stack trace (before, its admin
 * client failed a TLS handshake about once a second, each with a 21-frame stack trace in the log).
 */
class SecuredKafkaIT {

    private static final org.slf4j.Logger log = LoggerFactory.getLogger(SecuredKafkaIT.class);
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration STEP = Duration.ofSeconds(3);
    private static final Duration WINDOW = Duration.ofSeconds(9);

    @RegisterExtension
    static final BridgeFixture fixture = BridgeFixture.withPartitions(2)
            .onOwnBroker(SecuredKafkaBroker::start).tailsNotAwaited().startedByEachTest();

    @Test
    void mutualTlsStreamsEveryRecordOnceAndInOrder() throws Exception {
        streamsEveryRecordOnceAndInOrder(fixture.start(broker().mtlsBridgeSettings(true)), 0);
    }

    @Test
    void scramOverTlsStreamsEveryRecordOnceAndInOrder() throws Exception {
        streamsEveryRecordOnceAndInOrder(fixture.start(broker().scramBridgeSettings(SecuredKafkaBroker.SCRAM_PASSWORD)),
                1000);
    }

    /**
     * Kafka's OIDC login: tokens from the identity provider live 5 s and the broker makes connections log in again
     * every 2 s, so over 15 s the tails' clients must refresh their token twice or more, each time before the broker
     * would refuse the old one: the stream must not stop or skip meanwhile.
     */
    @Test
    void oauthBearerTokensThatExpireEveryFewSecondsAreRefreshedWithoutAGapInTheStream() throws Exception {
        RunningBridge bridge = fixture.start(broker().oauthBridgeSettings(OAuthTokenServer.CLIENT_SECRET));
        bridge.awaitTailsAssigned();
        int issuedBefore = broker().tokens().issued();
        Duration run = SecuredKafkaBroker.OAUTH_TOKEN_LIFETIME.multipliedBy(3);
        int firstSeq = 2000;
        int count = 0;
        try (SseClient client = bridge.connect("/api/v1/sse/training")) {
            client.awaitConnected();
            // A producer at a fixed rate, 10 records a second: the pacing is the test's, not a wait for the bridge.
            long start = System.nanoTime();
            while (System.nanoTime() - start < run.toNanos()) {
                int seq = firstSeq + count++;
                fixture.producer().send(fixture.topic("training"), seq % 2, "task-" + (seq % 2),
                        "{\"task_id\":\"task-" + (seq % 2) + "\",\"seq\":" + seq + "}");
                LockSupport.parkNanos(start + count * 100_000_000L - System.nanoTime());
            }
            List<SseClient.Received> received = client.awaitNamed("training_progress", count, WAIT);
            List<Integer> seqs = SseClient.seqs(received, "training_progress");
            assertThat(seqs).hasSize(count).doesNotHaveDuplicates();
            Duration longestGap = SseClient.longestGap(received);
            log.info("OAUTHBEARER: {} records over {}, {} tokens issued, longest gap between two events {}", count, run,
                    broker().tokens().issued() - issuedBefore, longestGap);
            assertThat(longestGap).as("longest gap between two events, records written every 100 ms")
                    .isLessThan(Duration.ofMillis(2500));
        }
        assertThat(broker().tokens().issued() - issuedBefore).as("tokens fetched while streaming")
                .isGreaterThanOrEqualTo(2);
    }

    /**
     * Avro records whose registry serves its API over HTTPS only (certificate from the same CA as the broker's, as a
     * deployment's services share one), beside SCRAM over TLS: the README's settings for both, and the records arrive
     * decoded.
     */
    @Test
    void avroRecordsThroughARegistryOverTlsBesideScramOverTls() throws Exception {
        ApicurioRegistry.Tls certificate = broker().serverCertificate();
        try (ApicurioRegistry registry = TestSchemaRegistry.startTls(certificate)) {
            assertThat(registry.ccompatUrl()).startsWith("https://");
            String schema = """
                    {"type":"record","name":"RiskAlert","namespace":"mystocks","fields":[
                      {"name":"entity_id","type":"string"},{"name":"metric_value","type":"double"}]}""";
            int id = registry.register(fixture.topic("alerts") + "-value", "AVRO", schema);
            Map<String, Object> settings = new HashMap<>(broker().scramBridgeSettings(SecuredKafkaBroker.SCRAM_PASSWORD));
            settings.put("bridge.schema-registry.urls", registry.ccompatUrl());
            settings.put("bridge.schema-registry.ssl.truststore.type", "PKCS12");
            settings.put("bridge.schema-registry.ssl.truststore.location", certificate.trustStore().toString());
            settings.put("bridge.schema-registry.ssl.truststore.password", certificate.password());
            settings.put("bridge.channels.alerts.value-format", "avro");
            RunningBridge bridge = fixture.start(settings);
            try (SseClient client = bridge.connect("/api/v1/sse/alerts")) {
                client.awaitConnected();
                Schema parsed = new Schema.Parser().parse(schema);
                for (int i = 0; i < 3; i++) {
                    GenericRecord alert = new GenericData.Record(parsed);
                    alert.put("entity_id", "p-" + i);
                    alert.put("metric_value", 0.5 + i);
                    ByteArrayOutputStream out = new ByteArrayOutputStream();
                    BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
                    new GenericDatumWriter<GenericRecord>(parsed).write(alert, encoder);
                    encoder.flush();
                    fixture.producer().send(new ProducerRecord<>(fixture.topic("alerts"), i % 2,
                            ("p-" + i).getBytes(StandardCharsets.UTF_8), ConfluentFraming.frame(id, out.toByteArray())));
                }
                List<SseClient.Received> alerts = client.awaitNamed("risk_alert", 3, WAIT);
                assertThat(alerts).extracting(received -> received.payload().toString()).containsExactlyInAnyOrder(
                        "{\"entity_id\":\"p-0\",\"metric_value\":0.5}", "{\"entity_id\":\"p-1\",\"metric_value\":1.5}",
                        "{\"entity_id\":\"p-2\",\"metric_value\":2.5}");
            }
            assertThat(JSON.readTree(fixture.bridge().get("/api/v1/sse/status")).at("/channels/alerts/state").asString())
                    .isEqualTo("reading");
        }
    }

    /**
     * A user the broker does not know yet is refused; once an operator creates it on the broker's side, the next
     * attempt is accepted and the tails read from their positions, without a restart of the bridge.
     */
    @Test
    void aUserCreatedOnTheBrokerWhileTheBridgeIsRefusedIsAcceptedAtTheNextAttempt() throws Exception {
        String user = "bridge-" + Long.toHexString(System.nanoTime());
        RunningBridge bridge = startRefused(broker().scramBridgeSettings(user, "created-later"), "authentication");
        broker().createScramUser(user, "created-later");
        await().atMost(WAIT).untilAsserted(() -> {
            JsonNode status = JSON.readTree(bridge.get("/api/v1/sse/status"));
            assertThat(status.at("/kafka/status").asString()).isEqualTo("up");
            assertThat(status.at("/channels/training/state").asString()).isEqualTo("reading");
        });
        streamsEveryRecordOnceAndInOrder(bridge, 3000);
    }

    /**
     * A wrong client secret is refused by the identity provider, before Kafka is asked: the same refusal, with the
     * same bounded attempts, as a password Kafka refuses (each attempt would otherwise be a token request).
     */
    @Test
    void aWrongClientSecretIsRefusedOnceAndTriedAgainOncePerStep() throws Exception {
        startRefused(broker().oauthBridgeSettings("not-the-secret"), "login failed");
        int refusedBefore = broker().tokens().refused();
        // A window of time is what is measured here: attempts per window, lines per window.
        List<String> lines = CapturedLog.warningsOver(WINDOW);
        int tokenRequests = broker().tokens().refused() - refusedBefore;
        long steps = WINDOW.toMillis() / STEP.toMillis();
        log.info("In {} with a wrong client secret: {} token requests refused, {} warnings and errors: {}", WINDOW,
                tokenRequests, lines.size(), lines);
        assertThat(tokenRequests).as("token requests in %s", WINDOW).isBetween(1, (int) steps + 1);
        assertThat(lines).as("stack traces").noneMatch(line -> line.contains("[stack trace:") || line.contains("\tat "));
        assertThat(String.join("\n", lines)).doesNotContain("not-the-secret");
    }

    @Test
    void aBridgeWithoutItsClientCertificateIsRefusedWithTheReasonAndTriesAgainOncePerStep() throws Exception {
        // TLS 1.3 reports it after the handshake: "Received fatal alert: bad_certificate".
        startRefused(broker().mtlsBridgeSettings(false), "certificate");
        long failedBefore = broker().failedAuthentications();
        // A window of time is what is measured here: attempts per window, lines per window.
        List<String> lines = CapturedLog.warningsOver(WINDOW);
        long failedHandshakes = broker().failedAuthentications() - failedBefore;
        long steps = WINDOW.toMillis() / STEP.toMillis();
        log.info("In {} without a client certificate: {} failed TLS handshakes at the broker, {} warnings and errors: {}",
                WINDOW, failedHandshakes, lines.size(), lines);
        assertThat(failedHandshakes).as("failed handshakes at the broker in %s", WINDOW).isBetween(1L, steps + 1);
        assertThat(lines).as("warnings and errors in %s", WINDOW).hasSizeLessThanOrEqualTo((int) (2 * (steps + 1)));
        assertThat(lines).as("stack traces").noneMatch(line -> line.contains("[stack trace:") || line.contains("\tat "));
        assertThat(String.join("\n", lines)).doesNotContain(SecuredKafkaBroker.STORE_PASSWORD);
    }

    /**
     * A bridge with these settings and a fixed back-off of {@link #STEP}, once its status says Kafka refuses it with a
     * reason that contains {@code reason}.
     */
    private static RunningBridge startRefused(Map<String, Object> kafkaSettings, String reason) {
        Map<String, Object> settings = new HashMap<>(kafkaSettings);
        settings.put("bridge.kafka.refusal-retry", STEP.toMillis() + "ms");
        settings.put("bridge.kafka.refusal-retry-max", STEP.toMillis() + "ms");
        RunningBridge bridge = fixture.start(settings);
        await().atMost(WAIT).untilAsserted(() -> {
            JsonNode status = JSON.readTree(bridge.get("/api/v1/sse/status"));
            assertThat(status.at("/kafka/status").asString()).isEqualTo("refused");
            assertThat(status.at("/kafka/error").asString()).startsWith("authentication: ").contains(reason);
            assertThat(status.at("/channels/training/state").asString()).isEqualTo("failed");
        });
        return bridge;
    }

    /** Records written to both partitions of the training topic reach a client once each, in order per partition. */
    private void streamsEveryRecordOnceAndInOrder(RunningBridge bridge, int firstSeq) throws Exception {
        bridge.awaitTailsAssigned();
        int count = 40;
        try (SseClient client = bridge.connect("/api/v1/sse/training")) {
            client.awaitConnected();
            for (int seq = firstSeq; seq < firstSeq + count; seq++) {
                fixture.producer().send(fixture.topic("training"), seq % 2, "task-" + (seq % 2),
                        "{\"task_id\":\"task-" + (seq % 2) + "\",\"seq\":" + seq + "}");
            }
            List<SseClient.Received> received = client.awaitNamed("training_progress", count, WAIT);
            List<Integer> seqs = SseClient.seqs(received, "training_progress");
            assertThat(seqs).hasSize(count).doesNotHaveDuplicates();
            for (int partition = 0; partition < 2; partition++) {
                int p = partition;
                assertThat(seqs.stream().filter(seq -> seq % 2 == p).toList()).isSorted();
            }
        }
        JsonNode status = JSON.readTree(bridge.get("/api/v1/sse/status"));
        assertThat(status.at("/kafka/status").asString()).isEqualTo("up");
        assertThat(status.toString()).doesNotContain(SecuredKafkaBroker.STORE_PASSWORD)
                .doesNotContain(SecuredKafkaBroker.SCRAM_PASSWORD);
    }

    private static SecuredKafkaBroker broker() {
        return (SecuredKafkaBroker) fixture.broker();
    }
}
