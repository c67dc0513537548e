package dev.ssebridge.bridge.schema;

/**
 * Reads the header that Confluent's serializers (and Apicurio's, Karapace's, Redpanda's in Confluent mode)
 * put before a record: magic byte 0, the schema id as a 4-byte big-endian int, and for Protobuf the path of
 * the message inside the schema file ("message indexes"), then the payload. The header is parsed by hand:
 * Confluent's serializer jars are not on Maven Central, and the format is small and frozen.
 */
final class ConfluentWireFormat {

    static final byte MAGIC = 0;
    static final int HEADER_BYTES = 5;

    /** More indexes than any sane nesting of messages; bounds the work a garbled count can cause. */
    private static final int MAX_MESSAGE_INDEXES = 100;

    /** The header of one record. The payload is {@code bytes[payloadOffset..]}. */
    record Header(int schemaId, int[] messageIndexes, int payloadOffset) {
    }

    private ConfluentWireFormat() {
    }

    /** Avro and JSON Schema: magic byte and schema id. */
    static Header read(byte[] bytes) throws NotDecodableException {
        return new Header(schemaId(bytes), new int[0], HEADER_BYTES);
    }

    /**
     * Protobuf: magic byte, schema id, then the message indexes as a zigzag varint count followed by that
     * many zigzag varint indexes. A count of 0 (a single 0 byte) is the common case and means [0], the
     * first message of the file.
     */
    static Header readProtobuf(byte[] bytes) throws NotDecodableException {
        int id = schemaId(bytes);
        int[] at = {HEADER_BYTES};
        int count = zigzagVarint(bytes, at);
        if (count < 0 || count > MAX_MESSAGE_INDEXES) {
            throw new NotDecodableException(Decoded.Reason.BAD_WIRE_FORMAT, "message index count " + count + " out of range");
        }
        if (count == 0) {
            return new Header(id, new int[] {0}, at[0]);
        }
        int[] indexes = new int[count];
        for (int i = 0; i < count; i++) {
            indexes[i] = zigzagVarint(bytes, at);
            if (indexes[i] < 0) {
                throw new NotDecodableException(Decoded.Reason.BAD_WIRE_FORMAT, "negative message index " + indexes[i]);
            }
        }
        return new Header(id, indexes, at[0]);
    }

    private static int schemaId(byte[] bytes) throws NotDecodableException {
        if (bytes.length < HEADER_BYTES) {
            throw new NotDecodableException(Decoded.Reason.BAD_WIRE_FORMAT,
                    bytes.length + " bytes, shorter than the 5-byte schema header");
        }
        if (bytes[0] != MAGIC) {
            throw new NotDecodableException(Decoded.Reason.BAD_WIRE_FORMAT,
                    "first byte is " + (bytes[0] & 0xFF) + ", not the magic byte 0 of the schema-registry wire format");
        }
        return ((bytes[1] & 0xFF) << 24) | ((bytes[2] & 0xFF) << 16) | ((bytes[3] & 0xFF) << 8) | (bytes[4] & 0xFF);
    }

    /** Reads a zigzag varint (at most 5 bytes for an int) at {@code at[0]} and advances it. */
    private static int zigzagVarint(byte[] bytes, int[] at) throws NotDecodableException {
        int raw = 0;
        for (int shift = 0; shift < 35; shift += 7) {
            if (at[0] >= bytes.length) {
                throw new NotDecodableException(Decoded.Reason.BAD_WIRE_FORMAT, "record ends inside the message indexes");
            }
            byte b = bytes[at[0]++];
            raw |= (b & 0x7F) << shift;
            if (b >= 0) {
                return (raw >>> 1) ^ -(raw & 1);
            }
        }
        throw new NotDecodableException(Decoded.Reason.BAD_WIRE_FORMAT, "message index varint longer than 5 bytes");
    }
}
