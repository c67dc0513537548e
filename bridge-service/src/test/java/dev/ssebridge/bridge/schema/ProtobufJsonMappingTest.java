package dev.ssebridge.bridge.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.DescriptorProtos.FileDescriptorSet;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.Timestamp;
import dev.ssebridge.bridge.config.PayloadFormat;
import dev.ssebridge.schemas.ConfluentFraming;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Protobuf to JSON mapping and how the message is found, on messages written by protobuf-java. */
class ProtobufJsonMappingTest {

    static final String READING_PROTO = """
            syntax = "proto3";
            package demo;
            import "google/protobuf/timestamp.proto";

            message Reading {
              enum Unit { UNIT_UNSPECIFIED = 0; CELSIUS = 1; }
              message Place { string site_name = 1; }
              string sensor_id = 1;
              int64 count = 2;
              double value = 3;
              Unit unit = 4;
              bytes raw = 5;
              repeated int32 samples = 6;
              map<string, int32> tags = 7;
              Place place = 8;
              google.protobuf.Timestamp taken_at = 9;
              optional string note = 10;
              oneof source { string device = 11; int32 gateway = 12; }
              bool ok = 13;
            }
            """;

    @Test
    void followsTheProto3JsonMappingWithTheProtoFieldNames() throws Exception {
        Descriptor reading = descriptor(READING_PROTO).findMessageTypeByName("Reading");
        DynamicMessage.Builder message = DynamicMessage.newBuilder(reading)
                .setField(reading.findFieldByName("sensor_id"), "s-1")
                .setField(reading.findFieldByName("count"), 9_007_199_254_740_993L)
                .setField(reading.findFieldByName("value"), 21.5)
                .setField(reading.findFieldByName("unit"), reading.findEnumTypeByName("Unit").findValueByName("CELSIUS"))
                .setField(reading.findFieldByName("raw"), ByteString.copyFrom(new byte[] {(byte) 0xFB, (byte) 0xFF}))
                .addRepeatedField(reading.findFieldByName("samples"), 1)
                .addRepeatedField(reading.findFieldByName("samples"), 2)
                .setField(reading.findFieldByName("place"), DynamicMessage.newBuilder(reading.findNestedTypeByName("Place"))
                        .setField(reading.findNestedTypeByName("Place").findFieldByName("site_name"), "roof").build())
                .setField(reading.findFieldByName("taken_at"), Timestamp.newBuilder().setSeconds(1_709_300_730).setNanos(123_000_000).build())
                .setField(reading.findFieldByName("gateway"), 4);
        Descriptor tagEntry = reading.findFieldByName("tags").getMessageType();
        message.addRepeatedField(reading.findFieldByName("tags"), DynamicMessage.newBuilder(tagEntry)
                .setField(tagEntry.findFieldByName("key"), "floor").setField(tagEntry.findFieldByName("value"), 3).build());

        String json = decodeLocal(READING_PROTO, "demo.Reading", message.build().toByteArray());

        assertThat(json).isEqualTo("{\"sensor_id\":\"s-1\",\"count\":\"9007199254740993\",\"value\":21.5,\"unit\":\"CELSIUS\","
                + "\"raw\":\"+/8=\",\"samples\":[1,2],\"tags\":{\"floor\":3},\"place\":{\"site_name\":\"roof\"},"
                + "\"taken_at\":\"2024-03-01T13:45:30.123Z\",\"gateway\":4,\"ok\":false}");
    }

    @Test
    void fieldsAtTheirDefaultPrintUnlessTheyHavePresence() throws Exception {
        Descriptor reading = descriptor(READING_PROTO).findMessageTypeByName("Reading");

        String json = decodeLocal(READING_PROTO, "demo.Reading", DynamicMessage.newBuilder(reading).build().toByteArray());

        // No note (optional), place and taken_at (messages) or source (oneof): they have presence and are unset.
        assertThat(json).isEqualTo("{\"sensor_id\":\"\",\"count\":\"0\",\"value\":0.0,\"unit\":\"UNIT_UNSPECIFIED\","
                + "\"raw\":\"\",\"samples\":[],\"tags\":{},\"ok\":false}");
    }

    @Test
    void fieldNumbersComeFromTheProtoText() throws Exception {
        // Written by hand with protobuf's CodedOutputStream, from the numbers in the text, not from a parsed descriptor.
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CodedOutputStream out = CodedOutputStream.newInstance(bytes);
        out.writeString(1, "s-9");
        out.writeInt64(2, 42);
        out.writeString(10, "hand made");
        out.writeBool(13, true);
        out.flush();

        String json = decodeLocal(READING_PROTO, "demo.Reading", bytes.toByteArray());

        assertThat(json).contains("\"sensor_id\":\"s-9\"", "\"count\":\"42\"", "\"note\":\"hand made\"", "\"ok\":true");
    }

    @Test
    void messageIndexesPickTheMessageSkippingMapEntries() throws Exception {
        String proto = """
                syntax = "proto3";
                package idx;
                message First { string a = 1; }
                message Second {
                  map<string, string> labels = 1;
                  message Inner { int32 b = 1; }
                  message Other { int32 c = 1; }
                }
                """;
        FileDescriptor file = descriptor(proto);

        assertThat(ProtoDescriptors.byIndexes(file, new int[] {0}).getFullName()).isEqualTo("idx.First");
        assertThat(ProtoDescriptors.byIndexes(file, new int[] {1}).getFullName()).isEqualTo("idx.Second");
        assertThat(ProtoDescriptors.byIndexes(file, new int[] {1, 0}).getFullName()).isEqualTo("idx.Second.Inner");
        assertThat(ProtoDescriptors.byIndexes(file, new int[] {1, 1}).getFullName()).isEqualTo("idx.Second.Other");
        assertThatThrownBy(() -> ProtoDescriptors.byIndexes(file, new int[] {2}))
                .hasMessageContaining("message index 2 of [2] is past the 2 messages of registry.proto");
    }

    @Test
    void registryRecordsUseTheirMessageIndexesAndReferences() throws Exception {
        String common = "syntax = \"proto3\";\npackage shared;\nmessage Money { string currency = 1; int64 units = 2; }\n";
        String order = """
                syntax = "proto3";
                package shop;
                import "shared/money.proto";
                message Header { string id = 1; }
                message Order { string id = 1; shared.Money total = 2; }
                """;
        InMemorySchemas registry = new InMemorySchemas()
                .addVersion("shared-money", 3, "PROTOBUF", common)
                .add(21, "PROTOBUF", order, new RegistrySchema.Reference("shared/money.proto", "shared-money", 3));
        Map<String, String> sources = Map.of("order.proto", order, "shared/money.proto", common);
        Descriptor orderType = ProtoDescriptors.fromSources("order.proto", sources).findMessageTypeByName("Order");
        Descriptor money = orderType.findFieldByName("total").getMessageType();
        byte[] payload = DynamicMessage.newBuilder(orderType)
                .setField(orderType.findFieldByName("id"), "o-1")
                .setField(orderType.findFieldByName("total"), DynamicMessage.newBuilder(money)
                        .setField(money.findFieldByName("currency"), "EUR").setField(money.findFieldByName("units"), 12L).build())
                .build().toByteArray();

        Decoded decoded = new SchemaDecoders(registry, 10).decoder(PayloadFormat.PROTOBUF, null, null)
                .decode(ConfluentFraming.frameProtobuf(21, new int[] {1}, payload));

        assertThat(decoded).hasToString("{\"id\":\"o-1\",\"total\":{\"currency\":\"EUR\",\"units\":\"12\"}}");
    }

    @Test
    void aLocalDescriptorSetDecodesPlainMessages(@TempDir Path dir) throws Exception {
        FileDescriptor file = descriptor(READING_PROTO);
        FileDescriptorSet set = FileDescriptorSet.newBuilder()
                .addFile(Timestamp.getDescriptor().getFile().toProto())
                .addFile(file.toProto())
                .build();
        Path desc = dir.resolve("reading.desc");
        Files.write(desc, set.toByteArray());
        Descriptor reading = file.findMessageTypeByName("Reading");
        byte[] payload = DynamicMessage.newBuilder(reading).setField(reading.findFieldByName("sensor_id"), "d-1").build().toByteArray();

        Decoded byDefault = new SchemaDecoders(null).decoder(PayloadFormat.PROTOBUF, desc, null).decode(payload);
        Decoded byName = new SchemaDecoders(null).decoder(PayloadFormat.PROTOBUF, desc, "demo.Reading.Place").decode(payload);

        assertThat(byDefault.toString()).startsWith("{\"sensor_id\":\"d-1\",");
        // The same bytes read as another message: field 1 is a string there too.
        assertThat(byName).hasToString("{\"site_name\":\"d-1\"}");
    }

    @Test
    void aLocalProtoFileFindsItsImportsBesideIt(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("shared"));
        Files.writeString(dir.resolve("shared/money.proto"), "syntax = \"proto3\";\npackage shared;\nmessage Money { int64 units = 1; }\n");
        Path root = Files.writeString(dir.resolve("price.proto"),
                "syntax = \"proto3\";\nimport \"shared/money.proto\";\nmessage Price { shared.Money amount = 1; }\n");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CodedOutputStream out = CodedOutputStream.newInstance(bytes);
        out.writeTag(1, 2);
        out.writeUInt32NoTag(2);
        out.writeInt64(1, 5);
        out.flush();

        Decoded decoded = new SchemaDecoders(null).decoder(PayloadFormat.PROTOBUF, root, null).decode(bytes.toByteArray());

        assertThat(decoded).hasToString("{\"amount\":{\"units\":\"5\"}}");
    }

    @Test
    void bytesThatAreNotTheMessageAreSkippedAsUndecodable() {
        Decoded decoded = new SchemaDecoders(new InMemorySchemas().add(5, "PROTOBUF", READING_PROTO), 10)
                .decoder(PayloadFormat.PROTOBUF, null, null)
                .decode(ConfluentFraming.frameProtobuf(5, new int[] {0}, new byte[] {0x0A, 0x7F, 'x'}));

        assertThat(decoded).isInstanceOfSatisfying(Decoded.Skip.class, skip -> {
            assertThat(skip.reason()).isEqualTo(Decoded.Reason.UNDECODABLE);
            assertThat(skip.detail()).startsWith("not a demo.Reading:");
        });
    }

    @Test
    void protoTextThatDoesNotParseIsAnInvalidSchema() {
        Decoded decoded = new SchemaDecoders(new InMemorySchemas().add(6, "PROTOBUF", "message { nope"), 10)
                .decoder(PayloadFormat.PROTOBUF, null, null)
                .decode(ConfluentFraming.frameProtobuf(6, new int[] {0}, new byte[0]));

        assertThat(decoded).isInstanceOfSatisfying(Decoded.Skip.class,
                skip -> assertThat(skip.reason()).isEqualTo(Decoded.Reason.INVALID_SCHEMA));
    }

    static FileDescriptor descriptor(String proto) {
        return ProtoDescriptors.fromSources("registry.proto", Map.of("registry.proto", proto));
    }

    private static String decodeLocal(String proto, String message, byte[] payload) throws Exception {
        Path dir = Files.createTempDirectory("proto");
        Path file = Files.writeString(dir.resolve("reading.proto"), proto);
        Decoded decoded = new SchemaDecoders(null).decoder(PayloadFormat.PROTOBUF, file, message).decode(payload);
        assertThat(decoded).isInstanceOf(Decoded.Json.class);
        return decoded.toString();
    }
}
