package dev.ssebridge.bridge.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ssebridge.bridge.support.BridgeFixture;
import dev.ssebridge.bridge.support.RunningBridge;
import dev.ssebridge.testsupport.InProcessKafkaBroker;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Kafka refusing the bridge for good (wrong credentials, no ACL to read a topic) is not an outage to wait out:
 * the channel's tail fails, with Kafka's reason in status and health (a tail that retried would stay
 * "starting" forever), and the channels the bridge may read go on. Against a real broker with SASL/PLAIN and
 * enforced ACLs.
 */
class KafkaRefusalIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** On a broker of its own with SASL and ACLs, for the class; each test starts a bridge with its credentials. */
    @RegisterExtension
    static final BridgeFixture fixture = BridgeFixture.withPartitions(1)
            .onOwnBroker(InProcessKafkaBroker::startWithSaslAndAcls).tailsNotAwaited().startedByEachTest();

    @BeforeAll
    static void grantTheUserEveryTopicButTheAlertsOne() throws Exception {
        try (Admin admin = Admin.create(fixture.broker().adminClientProperties())) {
            // The user may read every channel's topic but the alerts one.
            List<AclBinding> acls = new java.util.ArrayList<>();
            for (String channel : List.of("training", "backtest", "dashboard")) {
                String topic = fixture.topic(channel);
                for (AclOperation operation : List.of(AclOperation.READ, AclOperation.DESCRIBE)) {
                    acls.add(new AclBinding(new ResourcePattern(ResourceType.TOPIC, topic, PatternType.LITERAL),
                            new AccessControlEntry("User:" + InProcessKafkaBroker.SASL_USER, "*", operation,
                                    AclPermissionType.ALLOW)));
                }
            }
            admin.createAcls(acls).all().get(30, TimeUnit.SECONDS);
        }
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
