package dev.ssebridge.schemas;

import java.io.ByteArrayOutputStream;

/**
 * Frames a serialized Avro, Protobuf or JSON payload the way Confluent's serializers do, for the producers of
 * this project (the simulators, tests), since those serializers are not on Maven Central: magic byte 0, the
 * schema id as a 4-byte big-endian int, for Protobuf the message indexes, then the payload. Written from the
 * format's description, independently of the bridge's reader.
 */
public final class ConfluentFraming {

    private ConfluentFraming() {
    }

    /** Avro and JSON Schema. */
    public static byte[] frame(int schemaId, byte[] payload) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(payload.length + 5);
        header(out, schemaId);
        out.writeBytes(payload);
        return out.toByteArray();
    }

    /**
     * Protobuf: the indexes locate the message in the schema file ({@code {0}} is its first top-level
     * message, {@code {1, 0}} the first message nested in the second). {@code {0}} is written as the
     * single byte 0, as the serializers do.
     */
    public static byte[] frameProtobuf(int schemaId, int[] messageIndexes, byte[] payload) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(payload.length + 6 + messageIndexes.length * 5);
        header(out, schemaId);
        if (messageIndexes.length == 1 && messageIndexes[0] == 0) {
            out.write(0);
        } else {
            zigzagVarint(out, messageIndexes.length);
            for (int index : messageIndexes) {
                zigzagVarint(out, index);
            }
        }
        out.writeBytes(payload);
        return out.toByteArray();
    }

    private static void header(ByteArrayOutputStream out, int schemaId) {
        out.write(0);
        out.write(schemaId >>> 24);
        out.write(schemaId >>> 16);
        out.write(schemaId >>> 8);
        out.write(schemaId);
    }

    private static void zigzagVarint(ByteArrayOutputStream out, int value) {
        int zigzag = (value << 1) ^ (value >> 31);
        while ((zigzag & ~0x7F) != 0) {
            out.write((zigzag & 0x7F) | 0x80);
            zigzag >>>= 7;
        }
        out.write(zigzag);
    }
}
