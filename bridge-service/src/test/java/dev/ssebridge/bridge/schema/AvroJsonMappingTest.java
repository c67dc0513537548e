package dev.ssebridge.bridge.schema;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ssebridge.bridge.config.PayloadFormat;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.Conversions;
import org.apache.avro.Schema;
import org.apache.avro.data.TimeConversions;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Each rule of the Avro to JSON mapping, on records written by Avro's own writer. */
class AvroJsonMappingTest {

    private static final JsonMapper JSON = JsonMapper.shared();

    /** Avro's writer with the conversions for the logical types, so Java time and decimal values can be put. */
    private static final GenericData DATA = new GenericData();

    static {
        DATA.addLogicalTypeConversion(new Conversions.DecimalConversion());
        DATA.addLogicalTypeConversion(new Conversions.UUIDConversion());
        DATA.addLogicalTypeConversion(new TimeConversions.DateConversion());
        DATA.addLogicalTypeConversion(new TimeConversions.TimeMillisConversion());
        DATA.addLogicalTypeConversion(new TimeConversions.TimeMicrosConversion());
        DATA.addLogicalTypeConversion(new TimeConversions.TimestampMillisConversion());
        DATA.addLogicalTypeConversion(new TimeConversions.TimestampMicrosConversion());
        DATA.addLogicalTypeConversion(new TimeConversions.TimestampNanosConversion());
        DATA.addLogicalTypeConversion(new TimeConversions.LocalTimestampMillisConversion());
        DATA.addLogicalTypeConversion(new TimeConversions.LocalTimestampMicrosConversion());
    }

    @Test
    void primitivesBecomeJsonScalars() throws Exception {
        Schema schema = parse("""
                {"type":"record","name":"P","fields":[
                  {"name":"i","type":"int"},{"name":"l","type":"long"},{"name":"f","type":"float"},
                  {"name":"d","type":"double"},{"name":"b","type":"boolean"},{"name":"s","type":"string"},
                  {"name":"n","type":"null"},{"name":"nan","type":"double"}]}""");
        GenericRecord record = new GenericData.Record(schema);
        record.put("i", -7);
        record.put("l", 9_007_199_254_740_993L);
        record.put("f", 1.5f);
        record.put("d", 0.1);
        record.put("b", true);
        record.put("s", "line\nbreak \"quoted\" é");
        record.put("n", null);
        record.put("nan", Double.NaN);

        String json = decode(schema, record);

        assertThat(json).isEqualTo("{\"i\":-7,\"l\":9007199254740993,\"f\":1.5,\"d\":0.1,\"b\":true,"
                + "\"s\":\"line\\nbreak \\\"quoted\\\" é\",\"n\":null,\"nan\":\"NaN\"}");
    }

    @Test
    void unionsGiveTheValueWithoutATypeWrapper() throws Exception {
        Schema schema = parse("""
                {"type":"record","name":"U","fields":[
                  {"name":"maybe","type":["null","string"]},{"name":"absent","type":["null","string"]},
                  {"name":"either","type":["int","string"]},
                  {"name":"inner","type":["null",{"type":"record","name":"In","fields":[{"name":"x","type":"int"}]}]}]}""");
        GenericRecord record = new GenericData.Record(schema);
        record.put("maybe", "here");
        record.put("absent", null);
        record.put("either", "text");
        GenericRecord inner = new GenericData.Record(schema.getField("inner").schema().getTypes().get(1));
        inner.put("x", 3);
        record.put("inner", inner);

        assertThat(decode(schema, record)).isEqualTo("{\"maybe\":\"here\",\"absent\":null,\"either\":\"text\",\"inner\":{\"x\":3}}");
    }

    @Test
    void enumsBecomeTheirSymbols() throws Exception {
        Schema schema = parse("""
                {"type":"record","name":"E","fields":[
                  {"name":"level","type":{"type":"enum","name":"Level","symbols":["INFO","WARN","ERROR"]}}]}""");
        GenericRecord record = new GenericData.Record(schema);
        record.put("level", new GenericData.EnumSymbol(schema.getField("level").schema(), "WARN"));

        assertThat(decode(schema, record)).isEqualTo("{\"level\":\"WARN\"}");
    }

    @Test
    void bytesAndFixedBecomeBase64() throws Exception {
        Schema schema = parse("""
                {"type":"record","name":"B","fields":[
                  {"name":"raw","type":"bytes"},{"name":"hash","type":{"type":"fixed","name":"H","size":4}}]}""");
        GenericRecord record = new GenericData.Record(schema);
        record.put("raw", ByteBuffer.wrap(new byte[] {(byte) 0xFB, (byte) 0xFF, 0x00}));
        record.put("hash", new GenericData.Fixed(schema.getField("hash").schema(), new byte[] {1, 2, 3, 4}));

        assertThat(decode(schema, record)).isEqualTo("{\"raw\":\"+/8A\",\"hash\":\"AQIDBA==\"}");
    }

    @Test
    void mapsBecomeObjectsAndArraysArrays() throws Exception {
        Schema schema = parse("""
                {"type":"record","name":"M","fields":[
                  {"name":"tags","type":{"type":"map","values":"long"}},
                  {"name":"points","type":{"type":"array","items":{"type":"record","name":"Pt","fields":[{"name":"v","type":"int"}]}}},
                  {"name":"empty","type":{"type":"array","items":"string"}}]}""");
        Schema point = schema.getField("points").schema().getElementType();
        GenericRecord p1 = new GenericData.Record(point);
        p1.put("v", 1);
        GenericRecord p2 = new GenericData.Record(point);
        p2.put("v", 2);
        GenericRecord record = new GenericData.Record(schema);
        record.put("tags", Map.of("a", 1L));
        record.put("points", List.of(p1, p2));
        record.put("empty", List.of());

        assertThat(decode(schema, record)).isEqualTo("{\"tags\":{\"a\":1},\"points\":[{\"v\":1},{\"v\":2}],\"empty\":[]}");
    }

    @Test
    void timestampsBecomeUtcIsoStringsWithFixedFractionDigits() throws Exception {
        Schema schema = parse("""
                {"type":"record","name":"T","fields":[
                  {"name":"ms","type":{"type":"long","logicalType":"timestamp-millis"}},
                  {"name":"us","type":{"type":"long","logicalType":"timestamp-micros"}},
                  {"name":"ns","type":{"type":"long","logicalType":"timestamp-nanos"}},
                  {"name":"whole","type":{"type":"long","logicalType":"timestamp-millis"}},
                  {"name":"before1970","type":{"type":"long","logicalType":"timestamp-micros"}},
                  {"name":"localMs","type":{"type":"long","logicalType":"local-timestamp-millis"}},
                  {"name":"localUs","type":{"type":"long","logicalType":"local-timestamp-micros"}}]}""");
        GenericRecord record = new GenericData.Record(schema);
        record.put("ms", Instant.parse("2024-03-01T13:45:30.123Z"));
        record.put("us", Instant.parse("2024-03-01T13:45:30.123456Z"));
        record.put("ns", Instant.parse("2024-03-01T13:45:30.123456789Z"));
        record.put("whole", Instant.parse("2024-03-01T00:00:00Z"));
        record.put("before1970", Instant.parse("1969-12-31T23:59:59.999999Z"));
        record.put("localMs", LocalDateTime.parse("2024-03-01T13:45:30.100"));
        record.put("localUs", LocalDateTime.parse("2024-03-01T13:45:30.000001"));

        JsonNode json = JSON.readTree(decode(schema, record));

        assertThat(json.get("ms").stringValue()).isEqualTo("2024-03-01T13:45:30.123Z");
        assertThat(json.get("us").stringValue()).isEqualTo("2024-03-01T13:45:30.123456Z");
        assertThat(json.get("ns").stringValue()).isEqualTo("2024-03-01T13:45:30.123456789Z");
        assertThat(json.get("whole").stringValue()).isEqualTo("2024-03-01T00:00:00.000Z");
        assertThat(json.get("before1970").stringValue()).isEqualTo("1969-12-31T23:59:59.999999Z");
        assertThat(json.get("localMs").stringValue()).isEqualTo("2024-03-01T13:45:30.100");
        assertThat(json.get("localUs").stringValue()).isEqualTo("2024-03-01T13:45:30.000001");
    }

    @Test
    void datesAndTimesBecomeIsoStrings() throws Exception {
        Schema schema = parse("""
                {"type":"record","name":"D","fields":[
                  {"name":"day","type":{"type":"int","logicalType":"date"}},
                  {"name":"tms","type":{"type":"int","logicalType":"time-millis"}},
                  {"name":"tus","type":{"type":"long","logicalType":"time-micros"}}]}""");
        GenericRecord record = new GenericData.Record(schema);
        record.put("day", LocalDate.parse("2024-02-29"));
        record.put("tms", LocalTime.parse("13:45:30.120"));
        record.put("tus", LocalTime.parse("00:00:00.000042"));

        assertThat(decode(schema, record)).isEqualTo("{\"day\":\"2024-02-29\",\"tms\":\"13:45:30.120\",\"tus\":\"00:00:00.000042\"}");
    }

    @Test
    void uuidsBecomeStrings() throws Exception {
        Schema schema = parse("""
                {"type":"record","name":"Id","fields":[
                  {"name":"text","type":{"type":"string","logicalType":"uuid"}},
                  {"name":"raw","type":{"type":"fixed","name":"U16","size":16,"logicalType":"uuid"}}]}""");
        UUID uuid = UUID.fromString("123e4567-e89b-12d3-a456-426614174000");
        GenericRecord record = new GenericData.Record(schema);
        record.put("text", uuid);
        record.put("raw", uuid);

        assertThat(decode(schema, record)).isEqualTo(
                "{\"text\":\"123e4567-e89b-12d3-a456-426614174000\",\"raw\":\"123e4567-e89b-12d3-a456-426614174000\"}");
    }

    @Test
    void decimalsBecomeExactPlainJsonNumbers() throws Exception {
        Schema schema = parse("""
                {"type":"record","name":"Money","fields":[
                  {"name":"big","type":{"type":"bytes","logicalType":"decimal","precision":30,"scale":5}},
                  {"name":"small","type":{"type":"bytes","logicalType":"decimal","precision":4,"scale":2}},
                  {"name":"whole","type":{"type":"bytes","logicalType":"decimal","precision":21,"scale":0}},
                  {"name":"fixed","type":{"type":"fixed","name":"F8","size":8,"logicalType":"decimal","precision":10,"scale":3}}]}""");
        GenericRecord record = new GenericData.Record(schema);
        record.put("big", new BigDecimal("1234567890123456789012.34567"));
        record.put("small", new BigDecimal("-0.05"));
        record.put("whole", new BigDecimal("100000000000000000000"));
        record.put("fixed", new BigDecimal("12.500"));

        String json = decode(schema, record);

        // Exact digits in the text: a double could not hold the first one.
        assertThat(json).isEqualTo("{\"big\":1234567890123456789012.34567,\"small\":-0.05,\"whole\":100000000000000000000,\"fixed\":12.500}");
    }

    @Test
    void durationsBecomeObjects() throws Exception {
        Schema schema = parse("""
                {"type":"record","name":"Du","fields":[
                  {"name":"span","type":{"type":"fixed","name":"D12","size":12,"logicalType":"duration"}}]}""");
        ByteBuffer span = ByteBuffer.allocate(12).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(2).putInt(3).putInt(-1);
        GenericRecord record = new GenericData.Record(schema);
        record.put("span", new GenericData.Fixed(schema.getField("span").schema(), span.array()));

        assertThat(decode(schema, record)).isEqualTo("{\"span\":{\"months\":2,\"days\":3,\"milliseconds\":4294967295}}");
    }

    @Test
    void aLocalSchemaFileDecodesPlainAvro(@TempDir Path dir) throws Exception {
        Schema schema = parse("{\"type\":\"record\",\"name\":\"Reading\",\"namespace\":\"demo\",\"fields\":[{\"name\":\"celsius\",\"type\":\"double\"}]}");
        Path avsc = Files.writeString(dir.resolve("reading.avsc"), schema.toString(true));
        GenericRecord record = new GenericData.Record(schema);
        record.put("celsius", 21.5);

        Decoded decoded = new SchemaDecoders(null).decoder(PayloadFormat.AVRO, avsc, null).decode(write(schema, record));

        assertThat(decoded).hasToString("{\"celsius\":21.5}");
    }

    @Test
    void bytesThatAreNotTheSchemasAreSkippedAsUndecodable() throws Exception {
        Schema schema = parse("{\"type\":\"record\",\"name\":\"S\",\"fields\":[{\"name\":\"s\",\"type\":\"string\"},{\"name\":\"u\",\"type\":[\"null\",\"int\"]}]}");
        GenericRecord record = new GenericData.Record(schema);
        record.put("s", "hello");
        record.put("u", 1);
        byte[] good = write(schema, record);

        assertUndecodable(schema, java.util.Arrays.copyOf(good, good.length - 1), "EOF");
        assertUndecodable(schema, java.util.Arrays.copyOf(good, good.length + 1), "bytes left after the Avro datum");
        // A string claiming 2^40 bytes must be refused from its length, not allocated.
        assertUndecodable(schema, new byte[] {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x40}, "a length of");
        assertUndecodable(schema, new byte[] {2, 'a', 6}, "");
    }

    private static void assertUndecodable(Schema schema, byte[] bytes, String detail) {
        Decoded decoded = decodeBytes(schema, bytes);
        assertThat(decoded).isInstanceOfSatisfying(Decoded.Skip.class, skip -> {
            assertThat(skip.reason()).isEqualTo(Decoded.Reason.UNDECODABLE);
            assertThat(skip.detail()).contains(detail);
        });
    }

    private static Decoded decodeBytes(Schema schema, byte[] bytes) {
        try {
            return new Decoded.Json(AvroJson.toJson(schema, bytes, 0));
        } catch (NotDecodableException e) {
            return e.toSkip();
        }
    }

    private static String decode(Schema schema, GenericRecord record) throws IOException {
        Decoded decoded = decodeBytes(schema, write(schema, record));
        assertThat(decoded).isInstanceOf(Decoded.Json.class);
        byte[] json = ((Decoded.Json) decoded).json();
        assertThat(new String(json, StandardCharsets.UTF_8)).doesNotContain("\n", "\r");
        return new String(json, StandardCharsets.UTF_8);
    }

    static byte[] write(Schema schema, GenericRecord record) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(schema, DATA).write(record, encoder);
        encoder.flush();
        return out.toByteArray();
    }

    private static Schema parse(String json) {
        return new Schema.Parser().parse(json);
    }
}
