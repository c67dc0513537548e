package dev.ssebridge.bridge.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.DynamicMessage;
import dev.ssebridge.bridge.support.BridgeFixture;
import dev.ssebridge.bridge.support.RunningBridge;
import dev.ssebridge.bridge.support.SseClient;
import dev.ssebridge.testsupport.ApicurioRegistry;
import dev.ssebridge.schemas.ConfluentFraming;
import dev.ssebridge.testsupport.TestSchemaRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Avro and Protobuf records, written as a producer with the official libraries and Confluent's wire format
 * writes them, through a real broker, a real Apicurio Registry and the bridge to real SSE clients: the clients
 * get the documented JSON (docs/schema-decoding.md), schema versions decode each with their own schema, an
 * unknown id is skipped and counted while the stream goes on, a stopped registry makes the channel wait and
 * lose nothing, local schema files work without a registry, filters and history see the decoded values, and a
 * resume stays exact.
 */
class RegistryRecordsIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** The alerts of the seed, as an Avro producer would write them. */
    private static final String ALERT_V1 = """
            {"type":"record","name":"RiskAlert","namespace":"mystocks","fields":[
              {"name":"entity_id","type":"string"},
              {"name":"severity","type":{"type":"enum","name":"Severity","symbols":["low","medium","high","critical"]}},
              {"name":"message","type":"string"},
              {"name":"metric_value","type":"double"},
              {"name":"raised_at","type":{"type":"long","logicalType":"timestamp-millis"}},
              {"name":"note","type":["null","string"],"default":null}]}""";
    /** V1 plus a field with a default: a second version of the same subject. */
    private static final String ALERT_V2 = ALERT_V1.substring(0, ALERT_V1.lastIndexOf(']'))
            + ",{\"name\":\"desk\",\"type\":\"string\",\"default\":\"none\"}]}";

    /** Training progress as a Protobuf producer would write it. */
    private static final String PROGRESS_PROTO = """
            syntax = "proto3";
            package mystocks;
            message TrainingProgress {
              string task_id = 1;
              double progress = 2;
              int64 epoch = 3;
              string status = 4;
            }
            """;

    @RegisterExtension
    final BridgeFixture fixture = BridgeFixture.withPartitions(1).startedByEachTest();

    private final ApicurioRegistry registry = TestSchemaRegistry.registry();
    private RunningBridge bridge;

    @Test
    void avroAndProtobufRecordsReachSseClientsAsTheDocumentedJson() throws Exception {
        int alertId = registry.register(subject("alerts"), "AVRO", ALERT_V1);
        int progressId = registry.register(subject("training"), "PROTOBUF", PROGRESS_PROTO);
        bridge = bridge(Map.of());
        try (SseClient client = bridge.connect("/api/v1/sse/stream?channels=alerts,training")) {
            client.awaitConnected();
            sendAlert(alertId, ALERT_V1, "p-1", "high", "VaR 6.2% over 5%", null);
            sendProgress(progressId, "task-7", 0.5, 12, "running");

            JsonNode alert = client.awaitNamed("risk_alert", 1, WAIT).get(0).payload();
            JsonNode progress = client.awaitNamed("training_progress", 1, WAIT).get(0).payload();

            assertThat(alert.toString()).isEqualTo("{\"entity_id\":\"p-1\",\"severity\":\"high\",\"message\":"
                    + "\"VaR 6.2% over 5%\",\"metric_value\":0.062,\"raised_at\":\"2026-12-04T10:15:30.123Z\",\"note\":null}");
            // proto3 JSON, field names as in the .proto; a 64-bit integer is a string.
            assertThat(progress.toString()).isEqualTo(
                    "{\"task_id\":\"task-7\",\"progress\":0.5,\"epoch\":\"12\",\"status\":\"running\"}");
        }
    }

    @Test
    void recordsOfTwoSchemaVersionsOnOneTopicDecodeEachWithItsOwn() throws Exception {
        String subject = subject("alerts");
        int v1 = registry.register(subject, "AVRO", ALERT_V1);
        int v2 = registry.register(subject, "AVRO", ALERT_V2);
        bridge = bridge(Map.of());
        try (SseClient client = bridge.connect("/api/v1/sse/alerts")) {
            client.awaitConnected();
            sendAlert(v1, ALERT_V1, "p-1", "low", "first", null);
            sendAlert(v2, ALERT_V2, "p-2", "medium", "second", "desk-3");

            List<SseClient.Received> alerts = client.awaitNamed("risk_alert", 2, WAIT);

            assertThat(alerts.get(0).payload().has("desk")).isFalse();
            assertThat(alerts.get(1).payload().get("desk").asString()).isEqualTo("desk-3");
        }
    }

    @Test
    void anUnknownSchemaIdIsSkippedAndCountedAndTheStreamGoesOn() throws Exception {
        int id = registry.register(subject("alerts"), "AVRO", ALERT_V1);
        bridge = bridge(Map.of());
        try (SseClient client = bridge.connect("/api/v1/sse/alerts")) {
            client.awaitConnected();
            fixture.producer().send(new ProducerRecord<>(fixture.topic("alerts"), 0, bytes("p-0"),
                    ConfluentFraming.frame(987_654_321, new byte[] {2, 'x'})));
            sendAlert(id, ALERT_V1, "p-1", "critical", "after the unknown one", null);

            assertThat(client.awaitNamed("risk_alert", 1, WAIT).get(0).payload().get("entity_id").asString())
                    .isEqualTo("p-1");
            JsonNode status = JSON.readTree(bridge.get("/api/v1/sse/status"));
            assertThat(status.at("/channels/alerts/skipped_records/unknown_schema").asLong()).isEqualTo(1);
            assertThat(bridge.metric("ssebridge_records_skipped_total", "channel=\"alerts\",reason=\"unknown_schema\""))
                    .isEqualTo(1.0);
        }
    }

    @Test
    void aStoppedRegistryMakesTheChannelWaitAndNothingIsLostOrSkipped() throws Exception {
        String subject = subject("alerts");
        int known = registry.register(subject, "AVRO", ALERT_V1);
        bridge = bridge(Map.of());
        try (SseClient client = bridge.connect("/api/v1/sse/alerts")) {
            client.awaitConnected();
            sendAlert(known, ALERT_V1, "p-0", "low", "before", null);
            client.awaitNamed("risk_alert", 1, WAIT);
            // A schema the bridge has not fetched yet, registered before the registry goes away.
            int unseen = registry.register(subject, "AVRO", ALERT_V2);
            registry.stop();
            try {
                for (int i = 1; i <= 3; i++) {
                    sendAlert(unseen, ALERT_V2, "p-" + i, "high", "while the registry is down", "d-" + i);
                }
                await().atMost(WAIT).untilAsserted(() -> {
                    JsonNode status = JSON.readTree(bridge.get("/api/v1/sse/status"));
                    assertThat(status.at("/channels/alerts/state").asString()).isEqualTo("waiting_for_schema_registry");
                    assertThat(status.at("/channels/alerts/error").asString()).contains("schema registry");
                    JsonNode health = JSON.readTree(bridge.getWhateverStatus("/actuator/health"));
                    assertThat(health.at("/components/schemaRegistry/status").asString()).isEqualTo("DOWN");
                });
                assertThat(client.named("risk_alert")).hasSize(1);
            } finally {
                registry.start();
            }

            List<SseClient.Received> alerts = client.awaitNamed("risk_alert", 4, WAIT);
            assertThat(alerts).extracting(a -> a.payload().get("entity_id").asString())
                    .containsExactly("p-0", "p-1", "p-2", "p-3");
            JsonNode status = JSON.readTree(bridge.get("/api/v1/sse/status"));
            assertThat(status.at("/channels/alerts/state").asString()).isEqualTo("reading");
            status.at("/channels/alerts/skipped_records").forEach(count -> assertThat(count.asLong()).isZero());
        }
    }

    @Test
    void localSchemaFilesDecodePlainAvroAndProtobufWithoutARegistry() throws Exception {
        Path dir = Files.createTempDirectory("ssebridge-schemas");
        Path avsc = Files.writeString(dir.resolve("alert.avsc"), ALERT_V1);
        Path proto = Files.writeString(dir.resolve("progress.proto"), PROGRESS_PROTO);
        bridge = fixture.start(Map.of(
                "bridge.channels.alerts.value-format", "avro",
                "bridge.channels.alerts.schema-file", avsc.toString(),
                "bridge.channels.training.value-format", "protobuf",
                "bridge.channels.training.schema-file", proto.toString(),
                "bridge.channels.training.protobuf-message", "mystocks.TrainingProgress"));
        try (SseClient client = bridge.connect("/api/v1/sse/stream?channels=alerts,training")) {
            client.awaitConnected();
            // Plain: no magic byte, no schema id.
            fixture.producer().send(new ProducerRecord<>(fixture.topic("alerts"), 0, bytes("p-9"),
                    avro(ALERT_V1, alert(ALERT_V1, "p-9", "medium", "from a file", null))));
            fixture.producer().send(new ProducerRecord<>(fixture.topic("training"), 0, bytes("task-9"),
                    progress("task-9", 1.0, 60, "completed").toByteArray()));

            assertThat(client.awaitNamed("risk_alert", 1, WAIT).get(0).payload().get("message").asString())
                    .isEqualTo("from a file");
            assertThat(client.awaitNamed("training_progress", 1, WAIT).get(0).payload().toString())
                    .isEqualTo("{\"task_id\":\"task-9\",\"progress\":1.0,\"epoch\":\"60\",\"status\":\"completed\"}");
        }
    }

    @Test
    void filtersHistoryAndResumeWorkOnDecodedRecords() throws Exception {
        int id = registry.register(subject("alerts"), "AVRO", ALERT_V1);
        bridge = bridge(Map.of());
        SseClient first = bridge.connect("/api/v1/sse/alerts?min_severity=high");
        first.awaitConnected();
        sendAlert(id, ALERT_V1, "p-1", "low", "ignored by the filter", null);
        sendAlert(id, ALERT_V1, "p-2", "critical", "kept", null);
        List<SseClient.Received> kept = first.awaitNamed("risk_alert", 1, WAIT);
        assertThat(kept.get(0).payload().get("entity_id").asString()).isEqualTo("p-2");
        String cursor = kept.get(0).id();
        first.close();

        sendAlert(id, ALERT_V1, "p-3", "high", "while away", null);
        sendAlert(id, ALERT_V1, "p-4", "medium", "while away, filtered", null);
        try (SseClient resumed = bridge.connect("/api/v1/sse/alerts?min_severity=high",
                Map.of("Last-Event-ID", cursor))) {
            sendAlert(id, ALERT_V1, "p-5", "critical", "live again", null);
            assertThat(resumed.awaitNamed("risk_alert", 2, WAIT)).extracting(a -> a.payload().get("entity_id").asString())
                    .containsExactly("p-3", "p-5");
        }
        JsonNode history = JSON.readTree(bridge.get("/api/v1/sse/history/alerts?entity_id=p-3"));
        assertThat(history.get("events")).hasSize(1);
        assertThat(history.get("events").get(0).get("data").get("message").asString()).isEqualTo("while away");
    }

    /** A bridge reading alerts as Avro and training as Protobuf through the test registry. */
    private RunningBridge bridge(Map<String, Object> extra) {
        Map<String, Object> settings = new HashMap<>(Map.of(
                "bridge.schema-registry.urls", registry.ccompatUrl(),
                "bridge.schema-registry.request-timeout", "2s",
                "bridge.channels.alerts.value-format", "avro",
                "bridge.channels.training.value-format", "protobuf"));
        settings.putAll(extra);
        return fixture.start(settings);
    }

    /** The subject a Confluent serializer registers a topic's values under (TopicNameStrategy). */
    private String subject(String channel) {
        return fixture.topic(channel) + "-value";
    }

    private void sendAlert(int schemaId, String schema, String entity, String severity, String message, String extra)
            throws IOException {
        fixture.producer().send(new ProducerRecord<>(fixture.topic("alerts"), 0, bytes(entity),
                ConfluentFraming.frame(schemaId, avro(schema, alert(schema, entity, severity, message, extra)))));
    }

    private static GenericRecord alert(String schemaText, String entity, String severity, String message, String desk) {
        Schema schema = new Schema.Parser().parse(schemaText);
        GenericRecord alert = new GenericData.Record(schema);
        alert.put("entity_id", entity);
        alert.put("severity", new GenericData.EnumSymbol(schema.getField("severity").schema(), severity));
        alert.put("message", message);
        alert.put("metric_value", 0.062);
        alert.put("raised_at", Instant.parse("2026-12-04T10:15:30.123Z").toEpochMilli());
        alert.put("note", null);
        if (schema.getField("desk") != null) {
            alert.put("desk", desk == null ? "none" : desk);
        }
        return alert;
    }

    private static byte[] avro(String schemaText, GenericRecord record) throws IOException {
        Schema schema = new Schema.Parser().parse(schemaText);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(schema).write(record, encoder);
        encoder.flush();
        return out.toByteArray();
    }

    private void sendProgress(int schemaId, String task, double progress, long epoch, String status) {
        fixture.producer().send(new ProducerRecord<>(fixture.topic("training"), 0, bytes(task),
                ConfluentFraming.frameProtobuf(schemaId, new int[] {0}, progress(task, progress, epoch, status).toByteArray())));
    }

    private static DynamicMessage progress(String task, double progress, long epoch, String status) {
        Descriptor type = ProtoDescriptors.fromSources("progress.proto", Map.of("progress.proto", PROGRESS_PROTO))
                .findMessageTypeByName("TrainingProgress");
        return DynamicMessage.newBuilder(type)
                .setField(type.findFieldByName("task_id"), task)
                .setField(type.findFieldByName("progress"), progress)
                .setField(type.findFieldByName("epoch"), epoch)
                .setField(type.findFieldByName("status"), status)
                .build();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
