package dev.ssebridge.bridge.schema;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.Timestamp;
import dev.ssebridge.bridge.config.PayloadFormat;
import dev.ssebridge.bridge.config.SchemaRegistrySettings;
import dev.ssebridge.testsupport.ApicurioRegistry;
import dev.ssebridge.schemas.ConfluentFraming;
import dev.ssebridge.testsupport.TestSchemaRegistry;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;

/**
 * The registry client and the decoders against a real Apicurio Registry (its Confluent-compatible API):
 * schemas registered as a producer's serializer registers them, records framed as it frames them, and
 * the documented JSON out. One registry for the test JVM; each test uses its own subjects.
 */
class SchemaRegistryIT {

    private static final String ALERT_V1 = """
            {"type":"record","name":"Alert","namespace":"demo","fields":[
              {"name":"id","type":"string"},
              {"name":"raised_at","type":{"type":"long","logicalType":"timestamp-millis"}},
              {"name":"level","type":{"type":"enum","name":"Level","symbols":["INFO","WARN","CRITICAL"]}},
              {"name":"note","type":["null","string"],"default":null},
              {"name":"amount","type":{"type":"bytes","logicalType":"decimal","precision":12,"scale":2}},
              {"name":"day","type":{"type":"int","logicalType":"date"}},
              {"name":"labels","type":{"type":"map","values":"string"}},
              {"name":"payload","type":"bytes"}]}""";

    /** V1 plus a field with a default: a backward-compatible second version of the same subject. */
    private static final String ALERT_V2 = ALERT_V1.substring(0, ALERT_V1.lastIndexOf(']'))
            + ",{\"name\":\"site\",\"type\":\"string\",\"default\":\"unknown\"}]}";

    private static final String MONEY_PROTO = """
            syntax = "proto3";
            package shared;
            message Money { string currency = 1; int64 units = 2; }
            """;

    private static final String ORDER_PROTO = """
            syntax = "proto3";
            package shop;
            import "shared/money.proto";
            import "google/protobuf/timestamp.proto";
            message Header { string trace_id = 1; }
            message Order {
              enum Status { STATUS_UNSPECIFIED = 0; PAID = 1; }
              string order_id = 1;
              shared.Money total = 2;
              Status status = 3;
              repeated string items = 4;
              google.protobuf.Timestamp placed_at = 5;
              int32 retries = 6;
            }
            """;

    private final ApicurioRegistry registry = TestSchemaRegistry.registry();

    @Test
    void avroRecordsBecomeTheDocumentedJson() throws Exception {
        int id = registry.register(subject(), "AVRO", ALERT_V1);

        Decoded decoded = avro().decode(ConfluentFraming.frame(id, alertV1("a-1")));

        assertThat(decoded).hasToString("{\"id\":\"a-1\",\"raised_at\":\"2024-03-01T13:45:30.123Z\",\"level\":\"CRITICAL\","
                + "\"note\":\"disk at 91%\",\"amount\":1234.50,\"day\":\"2024-03-01\",\"labels\":{\"rack\":\"r7\"},\"payload\":\"AQI=\"}");
    }

    @Test
    void recordsOfTwoSchemaVersionsDecodeEachWithItsOwn() throws Exception {
        String subject = subject();
        int v1 = registry.register(subject, "AVRO", ALERT_V1);
        int v2 = registry.register(subject, "AVRO", ALERT_V2);
        Schema schemaV2 = new Schema.Parser().parse(ALERT_V2);
        GenericRecord newer = alertRecord(schemaV2, "a-3");
        newer.put("site", "fra-1");
        PayloadDecoder avro = avro();

        Decoded older = avro.decode(ConfluentFraming.frame(v1, alertV1("a-2")));
        Decoded current = avro.decode(ConfluentFraming.frame(v2, AvroJsonMappingTest.write(schemaV2, newer)));

        assertThat(v2).isNotEqualTo(v1);
        assertThat(older.toString()).startsWith("{\"id\":\"a-2\",").doesNotContain("site");
        assertThat(current.toString()).startsWith("{\"id\":\"a-3\",").endsWith(",\"site\":\"fra-1\"}");
    }

    @Test
    void protobufRecordsWithImportsBecomeTheDocumentedJson() {
        String moneySubject = subject();
        registry.register(moneySubject, "PROTOBUF", MONEY_PROTO);
        int id = registry.register(subject(), "PROTOBUF", ORDER_PROTO,
                new ApicurioRegistry.Reference("shared/money.proto", moneySubject, registry.latestVersion(moneySubject)));
        Descriptor order = ProtoDescriptors.fromSources("order.proto", Map.of("order.proto", ORDER_PROTO, "shared/money.proto", MONEY_PROTO))
                .findMessageTypeByName("Order");
        Descriptor money = order.findFieldByName("total").getMessageType();
        byte[] payload = DynamicMessage.newBuilder(order)
                .setField(order.findFieldByName("order_id"), "o-17")
                .setField(order.findFieldByName("total"), DynamicMessage.newBuilder(money)
                        .setField(money.findFieldByName("currency"), "EUR")
                        .setField(money.findFieldByName("units"), 12L).build())
                .setField(order.findFieldByName("status"), order.findEnumTypeByName("Status").findValueByName("PAID"))
                .addRepeatedField(order.findFieldByName("items"), "book")
                .setField(order.findFieldByName("placed_at"), Timestamp.newBuilder().setSeconds(1_709_300_730).build())
                .build().toByteArray();

        Decoded decoded = protobuf().decode(ConfluentFraming.frameProtobuf(id, new int[] {1}, payload));

        assertThat(decoded).hasToString("{\"order_id\":\"o-17\",\"total\":{\"currency\":\"EUR\",\"units\":\"12\"},\"status\":\"PAID\","
                + "\"items\":[\"book\"],\"placed_at\":\"2024-03-01T13:45:30Z\",\"retries\":0}");
    }

    @Test
    void anIdTheRegistryDoesNotKnowIsSkippedAsUnknownSchema() {
        Decoded decoded = avro().decode(ConfluentFraming.frame(987_654, new byte[] {2, 'x'}));

        assertThat(decoded).isInstanceOfSatisfying(Decoded.Skip.class, skip -> {
            assertThat(skip.reason()).isEqualTo(Decoded.Reason.UNKNOWN_SCHEMA);
            assertThat(skip.detail()).contains("40403");
        });
    }

    @Test
    void aStoppedRegistryMeansWaitAndTheSameRecordDecodesOnceItIsBack() throws Exception {
        int id = registry.register(subject(), "AVRO", ALERT_V1);
        byte[] record = ConfluentFraming.frame(id, alertV1("a-4"));
        PayloadDecoder avro = avro();

        Decoded whileStopped;
        registry.stop();
        try {
            whileStopped = avro.decode(record);
        } finally {
            registry.start();
        }
        Decoded afterwards = avro.decode(record);

        assertThat(whileStopped).isInstanceOfSatisfying(Decoded.Wait.class,
                wait -> assertThat(wait.cause()).hasMessageContaining("no schema registry answered"));
        assertThat(afterwards.toString()).startsWith("{\"id\":\"a-4\",");
    }

    /** A fresh decoder, so its schema cache starts empty and every id is fetched from the registry. */
    private PayloadDecoder avro() {
        return decoders().decoder(PayloadFormat.AVRO, null, null);
    }

    private PayloadDecoder protobuf() {
        return decoders().decoder(PayloadFormat.PROTOBUF, null, null);
    }

    private SchemaDecoders decoders() {
        return new SchemaDecoders(new SchemaRegistrySettings(List.of(URI.create(registry.ccompatUrl())), null, null, null,
                Duration.ofSeconds(2), Duration.ofSeconds(5), 100));
    }

    private static String subject() {
        return "it-" + UUID.randomUUID() + "-value";
    }

    private static byte[] alertV1(String id) throws Exception {
        Schema schema = new Schema.Parser().parse(ALERT_V1);
        return AvroJsonMappingTest.write(schema, alertRecord(schema, id));
    }

    private static GenericRecord alertRecord(Schema schema, String id) {
        GenericRecord alert = new GenericData.Record(schema);
        alert.put("id", id);
        alert.put("raised_at", Instant.parse("2024-03-01T13:45:30.123Z"));
        alert.put("level", new GenericData.EnumSymbol(schema.getField("level").schema(), "CRITICAL"));
        alert.put("note", "disk at 91%");
        alert.put("amount", new BigDecimal("1234.50"));
        alert.put("day", LocalDate.parse("2024-03-01"));
        alert.put("labels", Map.of("rack", "r7"));
        alert.put("payload", ByteBuffer.wrap(new byte[] {1, 2}));
        return alert;
    }
}
