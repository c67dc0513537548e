package dev.ssebridge.bridge.event;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.json.JsonFactory;

/**
 * Turns a Kafka record of one channel into the bytes of an SSE event, once per record, so that every
 * connection shares them.
 *
 * <p>The value is embedded in the envelope as it was produced, not re-serialised: it is checked to be
 * one well-formed UTF-8 JSON document, and its line breaks are replaced by spaces. That is safe because
 * JSON forbids raw CR and LF inside strings, so any CR or LF in valid JSON is insignificant whitespace;
 * without them the document fits the single {@code data:} line SSE needs.
 */
public final class RecordDecoder {

    private static final JsonFactory JSON = new JsonFactory();
    private static final byte[] UTF8_BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

    private final byte[] prefix;
    private final byte[] tombstonePrefix;
    private final int maxValueBytes;

    /**
     * @param eventName     SSE event name of the channel's records
     * @param maxValueBytes larger values are skipped as {@link SkipReason#OVERSIZE}
     */
    public RecordDecoder(String eventName, int maxValueBytes) {
        this.prefix = ascii("event: " + eventName + "\ndata: {\"event\":" + SseFrames.jsonString(eventName) + ",\"data\":");
        this.tombstonePrefix = ascii("event: delete\ndata: {\"event\":\"delete\",\"data\":{\"key\":");
        this.maxValueBytes = maxValueBytes;
    }

    /**
     * @param key       record key, may be null
     * @param value     record value; null is a tombstone, delivered as a {@code delete} event carrying the key
     * @param timestamp record timestamp, epoch millis
     */
    public DecodedRecord decode(byte[] key, byte[] value, long timestamp) {
        if (value == null) {
            String keyJson = key == null ? "null" : SseFrames.jsonString(new String(key, StandardCharsets.UTF_8));
            return new DecodedRecord.Deliverable(concat(tombstonePrefix, ascii(keyJson + "}"), timestamp));
        }
        if (value.length > maxValueBytes) {
            return new DecodedRecord.Skipped(SkipReason.OVERSIZE, value.length + " bytes > " + maxValueBytes);
        }
        int start = startsWithBom(value) ? UTF8_BOM.length : 0;
        if (!isUtf8(value, start)) {
            return new DecodedRecord.Skipped(SkipReason.INVALID_UTF8, "value is not valid UTF-8");
        }
        String problem = jsonProblem(value, start);
        if (problem != null) {
            return new DecodedRecord.Skipped(SkipReason.INVALID_JSON, problem);
        }
        byte[] json = new byte[value.length - start];
        for (int i = start; i < value.length; i++) {
            byte b = value[i];
            json[i - start] = (b == '\n' || b == '\r') ? (byte) ' ' : b;
        }
        return new DecodedRecord.Deliverable(concat(prefix, json, timestamp));
    }

    private static byte[] concat(byte[] head, byte[] json, long timestamp) {
        byte[] tail = ascii(",\"timestamp\":\"" + isoTimestamp(timestamp) + "\"}\n\n");
        byte[] out = new byte[head.length + json.length + tail.length];
        System.arraycopy(head, 0, out, 0, head.length);
        System.arraycopy(json, 0, out, head.length, json.length);
        System.arraycopy(tail, 0, out, head.length + json.length, tail.length);
        return out;
    }

    /** ISO-8601 UTC; a record without a timestamp (-1) gets the time it was read. */
    static String isoTimestamp(long epochMillis) {
        return (epochMillis < 0 ? Instant.now() : Instant.ofEpochMilli(epochMillis)).toString();
    }

    private static boolean startsWithBom(byte[] value) {
        return value.length >= 3 && value[0] == UTF8_BOM[0] && value[1] == UTF8_BOM[1] && value[2] == UTF8_BOM[2];
    }

    private static boolean isUtf8(byte[] value, int start) {
        for (int i = start; i < value.length; i++) {
            if (value[i] < 0) {
                // Only decode when non-ASCII bytes exist; most records are pure ASCII.
                try {
                    StandardCharsets.UTF_8.newDecoder()
                            .onMalformedInput(CodingErrorAction.REPORT)
                            .onUnmappableCharacter(CodingErrorAction.REPORT)
                            .decode(ByteBuffer.wrap(value, start, value.length - start));
                    return true;
                } catch (CharacterCodingException e) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Null when {@code value} holds exactly one JSON document, otherwise what is wrong with it. */
    private static String jsonProblem(byte[] value, int start) {
        try (JsonParser parser = JSON.createParser(ObjectReadContext.empty(), value, start, value.length - start)) {
            if (parser.nextToken() == null) {
                return "empty value";
            }
            parser.skipChildren();
            if (parser.nextToken() != null) {
                return "more than one JSON document";
            }
            return null;
        } catch (JacksonException e) {
            return e.getOriginalMessage();
        }
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
