package dev.ssebridge.bridge.frame;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
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
    private final String severityField;
    private final IsoTimestamps timestamps = new IsoTimestamps();

    public RecordDecoder(String eventName, int maxValueBytes) {
        this(eventName, maxValueBytes, null);
    }

    /**
     * @param eventName     SSE event name of the channel's records
     * @param maxValueBytes larger values are skipped as {@link SkipReason#OVERSIZE}
     * @param severityField top-level field whose value is read as a severity while the value is checked, or null
     */
    public RecordDecoder(String eventName, int maxValueBytes, String severityField) {
        this.prefix = ascii("event: " + eventName + "\ndata: {\"event\":" + SseFrames.jsonString(eventName) + ",\"data\":");
        this.tombstonePrefix = ascii("event: delete\ndata: {\"event\":\"delete\",\"data\":{\"key\":");
        this.maxValueBytes = maxValueBytes;
        this.severityField = severityField;
    }

    /**
     * @param key       record key, may be null
     * @param value     record value; null is a tombstone, delivered as a {@code delete} event carrying the key
     * @param timestamp record timestamp, epoch millis
     */
    public DecodedRecord decode(byte[] key, byte[] value, long timestamp) {
        if (value == null) {
            String keyJson = key == null ? "null" : SseFrames.jsonString(new String(key, StandardCharsets.UTF_8));
            return new DecodedRecord.Deliverable(concat(tombstonePrefix, ascii(keyJson + "}"), 0, timestamp), -1);
        }
        if (value.length > maxValueBytes) {
            return new DecodedRecord.Skipped(SkipReason.OVERSIZE, value.length + " bytes > " + maxValueBytes);
        }
        int start = startsWithBom(value) ? UTF8_BOM.length : 0;
        if (!isUtf8(value, start)) {
            return new DecodedRecord.Skipped(SkipReason.INVALID_UTF8, "value is not valid UTF-8");
        }
        Scan scan = scan(value, start);
        if (scan.problem() != null) {
            return new DecodedRecord.Skipped(SkipReason.INVALID_JSON, scan.problem());
        }
        byte[] frame = concat(prefix, value, start, timestamp);
        for (int i = prefix.length; i < prefix.length + value.length - start; i++) {
            if (frame[i] == '\n' || frame[i] == '\r') {
                frame[i] = ' ';
            }
        }
        return new DecodedRecord.Deliverable(frame, scan.severity());
    }

    private static final byte[] TIMESTAMP_HEAD = ascii(",\"timestamp\":\"");
    private static final byte[] TAIL = ascii("\"}\n\n");

    /** {@code head}, the value's JSON, then the timestamp and the end of the event, in one array. */
    private byte[] concat(byte[] head, byte[] json, int jsonStart, long timestamp) {
        // A record without a timestamp (-1) gets the time it was read.
        byte[] time = timestamps.format(timestamp < 0 ? System.currentTimeMillis() : timestamp);
        int jsonLength = json.length - jsonStart;
        byte[] out = new byte[head.length + jsonLength + TIMESTAMP_HEAD.length + time.length + TAIL.length];
        int at = 0;
        System.arraycopy(head, 0, out, at, head.length);
        at += head.length;
        System.arraycopy(json, jsonStart, out, at, jsonLength);
        at += jsonLength;
        System.arraycopy(TIMESTAMP_HEAD, 0, out, at, TIMESTAMP_HEAD.length);
        at += TIMESTAMP_HEAD.length;
        System.arraycopy(time, 0, out, at, time.length);
        at += time.length;
        System.arraycopy(TAIL, 0, out, at, TAIL.length);
        return out;
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

    /** What one pass of the JSON parser found: a problem (null when the value is one JSON document) and the severity. */
    private record Scan(String problem, int severity) {
    }

    /**
     * Checks that {@code value} holds exactly one JSON document and, on the way, reads the severity field
     * of a top-level object: one parse serves both.
     */
    private Scan scan(byte[] value, int start) {
        int severity = -1;
        try (JsonParser parser = JSON.createParser(ObjectReadContext.empty(), value, start, value.length - start)) {
            JsonToken token = parser.nextToken();
            if (token == null) {
                return new Scan("empty value", -1);
            }
            if (token == JsonToken.START_OBJECT && severityField != null) {
                while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
                    String name = parser.currentName();
                    JsonToken fieldValue = parser.nextToken();
                    if (fieldValue == JsonToken.VALUE_STRING && name.equals(severityField)) {
                        severity = Severities.rank(parser.getString());
                    }
                    parser.skipChildren();
                }
            } else {
                parser.skipChildren();
            }
            if (parser.nextToken() != null) {
                return new Scan("more than one JSON document", -1);
            }
            return new Scan(null, severity);
        } catch (JacksonException e) {
            return new Scan(e.getOriginalMessage(), -1);
        }
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
