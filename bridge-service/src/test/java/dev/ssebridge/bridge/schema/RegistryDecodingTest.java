package dev.ssebridge.bridge.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ssebridge.bridge.config.PayloadFormat;
import dev.ssebridge.schemas.ConfluentFraming;
import java.nio.charset.StandardCharsets;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;

/** Records naming their writer schema by id: evolution, and which failures skip and which wait. */
class RegistryDecodingTest {

    static final String V1 = "{\"type\":\"record\",\"name\":\"Alert\",\"namespace\":\"demo\",\"fields\":[{\"name\":\"id\",\"type\":\"string\"}]}";
    static final String V2 = "{\"type\":\"record\",\"name\":\"Alert\",\"namespace\":\"demo\",\"fields\":[{\"name\":\"id\",\"type\":\"string\"},"
            + "{\"name\":\"severity\",\"type\":{\"type\":\"enum\",\"name\":\"Severity\",\"symbols\":[\"LOW\",\"HIGH\"]},\"default\":\"LOW\"}]}";

    private final InMemorySchemas registry = new InMemorySchemas()
            .add(1, "AVRO", V1)
            .add(2, "AVRO", V2)
            .add(3, "PROTOBUF", "syntax = \"proto3\"; message M { string id = 1; }");
    private final PayloadDecoder avro = new SchemaDecoders(registry, 100).decoder(PayloadFormat.AVRO, null, null);

    @Test
    void eachRecordIsReadWithItsOwnWriterSchema() throws Exception {
        Schema v1 = new Schema.Parser().parse(V1);
        Schema v2 = new Schema.Parser().parse(V2);
        GenericRecord old = new GenericData.Record(v1);
        old.put("id", "a-1");
        GenericRecord current = new GenericData.Record(v2);
        current.put("id", "a-2");
        current.put("severity", new GenericData.EnumSymbol(v2.getField("severity").schema(), "HIGH"));

        Decoded first = avro.decode(ConfluentFraming.frame(1, AvroJsonMappingTest.write(v1, old)));
        Decoded second = avro.decode(ConfluentFraming.frame(2, AvroJsonMappingTest.write(v2, current)));
        Decoded firstAgain = avro.decode(ConfluentFraming.frame(1, AvroJsonMappingTest.write(v1, old)));

        assertThat(first).hasToString("{\"id\":\"a-1\"}");
        assertThat(second).hasToString("{\"id\":\"a-2\",\"severity\":\"HIGH\"}");
        assertThat(firstAgain).hasToString("{\"id\":\"a-1\"}");
        assertThat(registry.requests).as("each id fetched once").hasValue(2);
    }

    @Test
    void anUnknownIdIsSkippedAndRememberedForAWhile() {
        Decoded first = avro.decode(ConfluentFraming.frame(99, new byte[] {2, 'x'}));
        Decoded second = avro.decode(ConfluentFraming.frame(99, new byte[] {2, 'y'}));

        assertThat(first).isInstanceOfSatisfying(Decoded.Skip.class, skip -> {
            assertThat(skip.reason()).isEqualTo(Decoded.Reason.UNKNOWN_SCHEMA);
            assertThat(skip.reason().label()).isEqualTo("unknown_schema");
            assertThat(skip.detail()).contains("schema id 99 not found");
        });
        assertThat(second).isInstanceOf(Decoded.Skip.class);
        assertThat(registry.requests).as("not asked again within " + WriterSchemaCache.FAILURE_TTL).hasValue(1);
    }

    @Test
    void anUnavailableRegistryMeansWaitAndIsAskedAgainNextTime() throws Exception {
        registry.down = true;
        byte[] record = ConfluentFraming.frame(1, AvroJsonMappingTest.write(new Schema.Parser().parse(V1),
                record(new Schema.Parser().parse(V1), "w-1")));

        Decoded whileDown = avro.decode(record);
        Decoded stillDown = avro.decode(record);
        registry.down = false;
        Decoded back = avro.decode(record);

        assertThat(whileDown).isInstanceOf(Decoded.Wait.class);
        assertThat(stillDown).isInstanceOf(Decoded.Wait.class);
        assertThat(back).hasToString("{\"id\":\"w-1\"}");
        assertThat(registry.requests).hasValue(3);
    }

    @Test
    void anIdOfAnotherKindOfSchemaIsSkipped() {
        assertThat(avro.decode(ConfluentFraming.frame(3, new byte[] {2, 'x'}))).isInstanceOfSatisfying(Decoded.Skip.class, skip -> {
            assertThat(skip.reason()).isEqualTo(Decoded.Reason.WRONG_SCHEMA_TYPE);
            assertThat(skip.detail()).isEqualTo("schema id 3 is PROTOBUF, not AVRO");
        });
    }

    @Test
    void aRecordWithoutTheHeaderIsSkippedWithoutAskingTheRegistry() {
        Decoded decoded = avro.decode("{\"id\":\"plain json\"}".getBytes(StandardCharsets.UTF_8));

        assertThat(decoded).isInstanceOfSatisfying(Decoded.Skip.class,
                skip -> assertThat(skip.reason()).isEqualTo(Decoded.Reason.BAD_WIRE_FORMAT));
        assertThat(registry.requests).hasValue(0);
    }

    @Test
    void avroReferencesAreParsedBeforeTheSchemaThatUsesThem() throws Exception {
        String money = "{\"type\":\"record\",\"name\":\"Money\",\"namespace\":\"shared\",\"fields\":[{\"name\":\"cents\",\"type\":\"long\"}]}";
        String order = "{\"type\":\"record\",\"name\":\"Order\",\"fields\":[{\"name\":\"total\",\"type\":\"shared.Money\"}]}";
        registry.addVersion("money", 1, "AVRO", money).add(7, "AVRO", order, new RegistrySchema.Reference("shared.Money", "money", 1));

        Decoded decoded = avro.decode(ConfluentFraming.frame(7, new byte[] {(byte) 0xC8, 0x01}));

        assertThat(decoded).hasToString("{\"total\":{\"cents\":100}}");
    }

    @Test
    void jsonSchemaRecordsLoseTheirHeaderAndLineBreaks() {
        PayloadDecoder jsonSchema = new SchemaDecoders(registry, 100).decoder(PayloadFormat.JSON_SCHEMA, null, null);

        Decoded decoded = jsonSchema.decode(ConfluentFraming.frame(42, "{\"a\": 1,\n \"b\": [true]}".getBytes(StandardCharsets.UTF_8)));
        Decoded broken = jsonSchema.decode(ConfluentFraming.frame(42, "{\"a\":".getBytes(StandardCharsets.UTF_8)));

        assertThat(decoded).hasToString("{\"a\":1,\"b\":[true]}");
        assertThat(broken).isInstanceOfSatisfying(Decoded.Skip.class,
                skip -> assertThat(skip.reason()).isEqualTo(Decoded.Reason.INVALID_JSON));
        assertThat(registry.requests).as("JSON Schema records never wait for the registry").hasValue(0);
    }

    @Test
    void stringKeysBecomeJsonStrings() {
        Decoded key = new SchemaDecoders(null).decoder(PayloadFormat.STRING, null, null).decode("a\"b\nc".getBytes(StandardCharsets.UTF_8));

        assertThat(key).hasToString("\"a\\\"b\\nc\"");
    }

    @Test
    void registryFormatsWithoutARegistryAreRefusedWhenTheChannelIsMade() {
        assertThatThrownBy(() -> new SchemaDecoders(null).decoder(PayloadFormat.AVRO, null, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the avro format needs bridge.schema-registry.urls or a schema file");
    }

    private static GenericRecord record(Schema schema, String id) {
        GenericRecord record = new GenericData.Record(schema);
        record.put("id", id);
        return record;
    }
}
