package dev.ssebridge.bridge.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ssebridge.bridge.support.BridgeFixture;
import dev.ssebridge.bridge.support.RunningBridge;
import dev.ssebridge.bridge.support.SseClient;
import dev.ssebridge.schemas.ConfluentFraming;
import dev.ssebridge.testsupport.ApicurioRegistry;
import dev.ssebridge.testsupport.InProcessKafkaBroker;
import dev.ssebridge.testsupport.TestProducer;
import dev.ssebridge.testsupport.TestSchemaRegistry;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Channels on two Kafka clusters: {@code alerts} on a second broker (cluster {@code risk}, its own client settings),
 * the others on the default one. Each channel reads its own cluster, even where the other holds a topic of the same
 * name; a multiplexed stream over both resumes exactly; status and health name the cluster; the second broker
 * stopped takes only its channel's health down, the others stream on.
 */
class SeveralClustersIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @RegisterExtension
    final BridgeFixture fixture = BridgeFixture.withPartitions(2).startedByEachTest();

    private InProcessKafkaBroker risk;

    @AfterEach
    void stopSecondBroker() {
        if (risk != null) {
            risk.close();
        }
    }

    @Test
    void eachChannelReadsItsOwnClusterAndOneClusterDownLeavesTheOthersServing() throws Exception {
        risk = InProcessKafkaBroker.start();
        String alerts = fixture.topic("alerts"); // exists on the default cluster too, and gets records there
        String training = fixture.topic("training");
        try (Admin admin = Admin.create(risk.adminClientProperties())) {
            admin.createTopics(List.of(new NewTopic(alerts, 2, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        RunningBridge bridge = fixture.start(Map.of(
                "bridge.clusters.risk.bootstrap-servers", risk.bootstrapServers(),
                "bridge.channels.alerts.cluster", "risk",
                "bridge.kafka.monitor-interval", "500ms"));
        TestProducer onDefault = fixture.producer();
        try (TestProducer onRisk = new TestProducer(risk.bootstrapServers());
             SseClient both = bridge.connect("/api/v1/sse/stream?channels=training,alerts")) {
            both.awaitConnected();
            for (int seq = 0; seq < 6; seq++) {
                onRisk.send(alerts, seq % 2, "r" + seq, "{\"seq\":" + seq + ",\"severity\":\"high\"}");
                onDefault.send(alerts, seq % 2, "d" + seq, "{\"seq\":" + (100 + seq) + ",\"severity\":\"high\"}");
                onDefault.send(training, seq % 2, "t" + seq, "{\"seq\":" + (200 + seq) + "}");
            }
            // Two more on the default cluster's topic of that name: its partitions end at 4, the risk cluster's at 3.
            onDefault.send(alerts, 0, "d6", "{\"seq\":106,\"severity\":\"high\"}");
            onDefault.send(alerts, 1, "d7", "{\"seq\":107,\"severity\":\"high\"}");
            both.awaitNamed("risk_alert", 6, WAIT);
            both.awaitNamed("training_progress", 6, WAIT);
            assertThat(both.seqs("risk_alert")).as("the risk cluster's alerts, not the default one's")
                    .containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5);
            assertThat(both.seqs("training_progress")).containsExactlyInAnyOrder(200, 201, 202, 203, 204, 205);

            JsonNode status = JSON.readTree(bridge.get("/api/v1/sse/status"));
            assertThat(status.at("/channels/alerts/cluster").asString()).isEqualTo("risk");
            assertThat(status.at("/channels/training/cluster").asString()).isEqualTo("default");
            await().atMost(WAIT).untilAsserted(() -> {
                JsonNode now = JSON.readTree(bridge.get("/api/v1/sse/status"));
                assertThat(now.at("/channels/alerts/partitions/0/end_offset").asLong()).as("the risk cluster's")
                        .isEqualTo(3);
                assertThat(now.at("/channels/alerts/lag").asLong()).isZero();
                assertThat(now.at("/clusters/risk/status").asString()).isEqualTo("up");
                assertThat(now.at("/clusters/default/status").asString()).isEqualTo("up");
            });

            // A cursor over both clusters resumes each channel exactly where it was.
            String cursor = both.lastEventId();
            onRisk.send(alerts, 0, "r6", "{\"seq\":6,\"severity\":\"high\"}");
            onDefault.send(training, 1, "t6", "{\"seq\":206}");
            try (SseClient resumed = bridge.connect("/api/v1/sse/stream?channels=training,alerts",
                    Map.of("Last-Event-ID", cursor))) {
                resumed.awaitNamed("risk_alert", 1, WAIT);
                resumed.awaitNamed("training_progress", 1, WAIT);
                assertThat(resumed.seqs("risk_alert")).containsExactly(6);
                assertThat(resumed.seqs("training_progress")).containsExactly(206);
            }

            // The risk cluster goes away: its health is DOWN and named; the default cluster's channels stream on.
            risk.stopBroker();
            await().atMost(WAIT).untilAsserted(() -> {
                JsonNode health = JSON.readTree(bridge.getWhateverStatus("/actuator/health")).at("/components/kafka");
                assertThat(health.get("status").asString()).isEqualTo("DOWN");
                assertThat(health.at("/details/clusters/risk/status").asString()).isEqualTo("DOWN");
                assertThat(health.at("/details/clusters/default/status").asString()).isEqualTo("UP");
                assertThat(health.at("/details/error").asString()).startsWith("cluster 'risk': ");
                assertThat(bridge.metric("ssebridge_kafka_up", "cluster=\"risk\"")).isZero();
                assertThat(bridge.metric("ssebridge_kafka_up", "cluster=\"default\"")).isEqualTo(1);
            });
            onDefault.send(training, 0, "t7", "{\"seq\":207}");
            both.awaitNamed("training_progress", 8, WAIT);
            assertThat(both.seqs("training_progress")).contains(207);

            risk.startBroker();
            onRisk.send(alerts, 1, "r7", "{\"seq\":7,\"severity\":\"high\"}");
            both.awaitNamed("risk_alert", 8, WAIT);
            assertThat(both.seqs("risk_alert")).as("every record of the risk cluster once")
                    .containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5, 6, 7);
        }
    }

    /**
     * A cluster's own client settings and registry: the second cluster wants SASL logins (its ACL lets the bridge's
     * user read the topic) and has its Avro schemas in a registry only that cluster names; the default cluster is
     * plaintext JSON. Both stream.
     */
    @Test
    void aClusterHasItsOwnClientSettingsAndItsOwnRegistry() throws Exception {
        ApicurioRegistry registry = TestSchemaRegistry.registry();
        risk = InProcessKafkaBroker.startWithSaslAndAcls();
        String alerts = fixture.topic("alerts");
        String training = fixture.topic("training");
        try (Admin admin = Admin.create(risk.adminClientProperties())) {
            admin.createTopics(List.of(new NewTopic(alerts, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        risk.grantRead(List.of(alerts));
        String schema = """
                {"type":"record","name":"Alert","namespace":"risk","fields":[
                  {"name":"seq","type":"int"},{"name":"severity","type":"string"}]}""";
        int id = registry.register(alerts + "-value", "AVRO", schema);
        RunningBridge bridge = fixture.start(Map.of(
                "bridge.clusters.risk.bootstrap-servers", risk.bootstrapServers(),
                "bridge.clusters.risk.properties.security.protocol", "SASL_PLAINTEXT",
                "bridge.clusters.risk.properties.sasl.mechanism", "PLAIN",
                "bridge.clusters.risk.properties.sasl.jaas.config", "org.apache.kafka.common.security.plain."
                        + "PlainLoginModule required username=\"" + InProcessKafkaBroker.SASL_USER + "\" password=\""
                        + InProcessKafkaBroker.SASL_USER_PASSWORD + "\";",
                "bridge.clusters.risk.schema-registry.urls", registry.ccompatUrl(),
                "bridge.channels.alerts.cluster", "risk",
                "bridge.channels.alerts.value-format", "avro"));
        Map<String, Object> saslProducer = new HashMap<>();
        risk.adminClientProperties().forEach((name, value) -> saslProducer.put((String) name, value));
        Schema parsed = new Schema.Parser().parse(schema);
        try (TestProducer onRisk = new TestProducer(risk.bootstrapServers(), saslProducer);
             SseClient both = bridge.connect("/api/v1/sse/stream?channels=training,alerts")) {
            both.awaitConnected();
            for (int seq = 0; seq < 3; seq++) {
                GenericRecord alert = new GenericData.Record(parsed);
                alert.put("seq", seq);
                alert.put("severity", "high");
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
                new GenericDatumWriter<GenericRecord>(parsed).write(alert, encoder);
                encoder.flush();
                onRisk.send(new ProducerRecord<>(alerts, 0, null, ConfluentFraming.frame(id, out.toByteArray())));
                fixture.producer().send(training, 0, "t" + seq, "{\"seq\":" + (200 + seq) + "}");
            }
            both.awaitNamed("risk_alert", 3, WAIT);
            both.awaitNamed("training_progress", 3, WAIT);
            assertThat(both.named("risk_alert")).extracting(received -> received.payload().toString())
                    .containsExactly("{\"seq\":0,\"severity\":\"high\"}", "{\"seq\":1,\"severity\":\"high\"}",
                            "{\"seq\":2,\"severity\":\"high\"}");
            assertThat(both.seqs("training_progress")).containsExactlyInAnyOrder(200, 201, 202);
            JsonNode status = JSON.readTree(bridge.get("/api/v1/sse/status"));
            assertThat(status.at("/channels/alerts/value_format").asString()).isEqualTo("avro");
            assertThat(status.at("/channels/alerts/state").asString()).isEqualTo("reading");
        }
    }
}
