package dev.ssebridge.bridge.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ssebridge.schemas.ConfluentFraming;
import org.junit.jupiter.api.Test;

class ConfluentWireFormatTest {

    @Test
    void readsTheSchemaIdBigEndianAfterTheMagicByte() throws Exception {
        byte[] record = {0, 0x01, 0x02, 0x03, 0x04, 'x'};

        ConfluentWireFormat.Header header = ConfluentWireFormat.read(record);

        assertThat(header.schemaId()).isEqualTo(0x01020304);
        assertThat(header.payloadOffset()).isEqualTo(5);
    }

    @Test
    void aSingleZeroByteOfMessageIndexesMeansTheFirstMessage() throws Exception {
        byte[] record = {0, 0, 0, 0, 7, 0, 0x08, 0x01};

        ConfluentWireFormat.Header header = ConfluentWireFormat.readProtobuf(record);

        assertThat(header.schemaId()).isEqualTo(7);
        assertThat(header.messageIndexes()).containsExactly(0);
        assertThat(header.payloadOffset()).isEqualTo(6);
    }

    @Test
    void readsMessageIndexesAsZigzagVarints() throws Exception {
        // count 2 -> zigzag 4; index 1 -> 2; index 70 -> 140 = 0x8C 0x01 (two varint bytes)
        byte[] record = {0, 0, 0, 0, 9, 4, 2, (byte) 0x8C, 0x01, 0x2A};

        ConfluentWireFormat.Header header = ConfluentWireFormat.readProtobuf(record);

        assertThat(header.messageIndexes()).containsExactly(1, 70);
        assertThat(header.payloadOffset()).isEqualTo(9);
    }

    @Test
    void readsWhatTheTestFramingWrites() throws Exception {
        byte[] record = ConfluentFraming.frameProtobuf(Integer.MAX_VALUE, new int[] {3, 0, 12}, new byte[] {1, 2});

        ConfluentWireFormat.Header header = ConfluentWireFormat.readProtobuf(record);

        assertThat(header.schemaId()).isEqualTo(Integer.MAX_VALUE);
        assertThat(header.messageIndexes()).containsExactly(3, 0, 12);
        assertThat(record.length - header.payloadOffset()).isEqualTo(2);
    }

    @Test
    void rejectsRecordsShorterThanTheHeader() {
        assertBadWireFormat(new byte[] {0, 0, 0, 1}, "4 bytes, shorter than the 5-byte schema header");
        assertBadWireFormat(new byte[0], "0 bytes");
    }

    @Test
    void rejectsAFirstByteOtherThanTheMagicByte() {
        assertBadWireFormat("{\"a\":1}".getBytes(), "first byte is 123, not the magic byte 0");
    }

    @Test
    void rejectsGarbledMessageIndexes() {
        assertBadWireFormatProtobuf(new byte[] {0, 0, 0, 0, 1}, "record ends inside the message indexes");
        assertBadWireFormatProtobuf(new byte[] {0, 0, 0, 0, 1, 4, 2}, "record ends inside the message indexes");
        assertBadWireFormatProtobuf(new byte[] {0, 0, 0, 0, 1, 1}, "message index count -1 out of range");
        assertBadWireFormatProtobuf(new byte[] {0, 0, 0, 0, 1, 2, 1}, "negative message index -1");
        assertBadWireFormatProtobuf(new byte[] {0, 0, 0, 0, 1, (byte) 0x90, 0x03}, "message index count 200 out of range");
        byte[] endless = {0, 0, 0, 0, 1, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0};
        assertBadWireFormatProtobuf(endless, "varint longer than 5 bytes");
    }

    private static void assertBadWireFormat(byte[] record, String message) {
        assertThatThrownBy(() -> ConfluentWireFormat.read(record))
                .isInstanceOfSatisfying(NotDecodableException.class,
                        e -> assertThat(e.reason()).isEqualTo(Decoded.Reason.BAD_WIRE_FORMAT))
                .hasMessageContaining(message);
    }

    private static void assertBadWireFormatProtobuf(byte[] record, String message) {
        assertThatThrownBy(() -> ConfluentWireFormat.readProtobuf(record))
                .isInstanceOfSatisfying(NotDecodableException.class,
                        e -> assertThat(e.reason()).isEqualTo(Decoded.Reason.BAD_WIRE_FORMAT))
                .hasMessageContaining(message);
    }
}
