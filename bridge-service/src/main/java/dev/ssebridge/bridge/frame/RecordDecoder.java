package dev.ssebridge.bridge.frame;

import dev.ssebridge.bridge.channel.Channel;
import dev.ssebridge.bridge.schema.Decoded;
import dev.ssebridge.bridge.schema.PayloadDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.json.JsonFactory;

/**
 * Turns a Kafka record of one channel into a {@link ChannelRecord} carrying the bytes of its SSE event, once
 * per record, so that every connection shares them. The tail and the replays decode with the same instance.
 *
 * <p>The value is embedded in the envelope as it was produced, not re-serialised: it is checked to be
 * one well-formed UTF-8 JSON document, and its line breaks are replaced by spaces. That is safe because
 * JSON forbids raw CR and LF inside strings, so any CR or LF in valid JSON is insignificant whitespace;
 * without them the document fits the single {@code data:} line SSE needs.
 */
public final class RecordDecoder {

    private static final JsonFactory JSON = new JsonFactory();
    private static final byte[] UTF8_BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

    private final Channel channel;
    private final byte[] prefix;
    private final int maxValueBytes;
    private final PayloadDecoder values;
    private final PayloadDecoder keys;
    private final IsoTimestamps timestamps = new IsoTimestamps();

    /**
     * @param maxValueBytes larger values are skipped as {@link SkipReason#OVERSIZE}
     * @param values        decodes values of another format than JSON (Avro, Protobuf, JSON Schema) to JSON, once
     *                      per record; null for JSON values, embedded as produced
     * @param keys          decodes keys of another format than UTF-8 text; null for text
     */
    public RecordDecoder(Channel channel, int maxValueBytes, PayloadDecoder values, PayloadDecoder keys) {
        this.channel = channel;
        this.prefix = SseFrames.recordPrefix(channel.eventName());
        this.maxValueBytes = maxValueBytes;
        this.values = values;
        this.keys = keys;
    }

    /** A record without a trace context for its event: see {@link #decode(int, long, long, byte[], byte[], Map, String)}. */
    public DecodedRecord decode(int partition, long offset, long timestamp, byte[] key, byte[] value,
                                Map<String, String> headers) {
        return decode(partition, offset, timestamp, key, value, headers, null);
    }

    /**
     * @param timestamp record timestamp, epoch millis (-1 when the record has none: the time it is read)
     * @param key       record key, may be null
     * @param value     record value; null is a tombstone, delivered as a {@code delete} event carrying the key
     * @param headers   the record's headers as text, for a channel whose policy reads them; null otherwise
     * @param traceparent the W3C trace context the event carries (checked: {@code dev.ssebridge.bridge.trace}), on a
     *                    channel with trace-context; null otherwise
     */
    public DecodedRecord decode(int partition, long offset, long timestamp, byte[] key, byte[] value,
                                Map<String, String> headers, String traceparent) {
        String keyText;
        if (key == null || keys == null) {
            keyText = key == null ? null : new String(key, StandardCharsets.UTF_8);
        } else {
            Decoded decodedKey = keys.decode(key);
            if (!(decodedKey instanceof Decoded.Json json)) {
                return notJson(decodedKey, "key");
            }
            keyText = keyText(json.json());
        }
        byte[] time = timestamps.format(timestamp < 0 ? System.currentTimeMillis() : timestamp);
        if (value == null) {
            // A tombstone ends every piece of state of its key (the key's state key, whatever the state field).
            SseFrames.Body body = SseFrames.tombstoneBody(keyText, channel.name(), time);
            return new DecodedRecord.Deliverable(new ChannelRecord(channel, partition, offset, timestamp, keyText, -1,
                    body.bytes(), body.valueOffset(), body.valueLength(), true, keyText, headers));
        }
        if (value.length > maxValueBytes) {
            return new DecodedRecord.Skipped(SkipReason.OVERSIZE, value.length + " bytes > " + maxValueBytes);
        }
        if (values != null) {
            // Decoded to compact JSON, once, here: from now on the record is what a JSON record is.
            Decoded decoded = values.decode(value);
            if (!(decoded instanceof Decoded.Json json)) {
                return notJson(decoded, "value");
            }
            value = json.json();
        }
        int start = startsWithBom(value) ? UTF8_BOM.length : 0;
        if (!isUtf8(value, start)) {
            return new DecodedRecord.Skipped(SkipReason.INVALID_UTF8, "value is not valid UTF-8");
        }
        Scan scan = scan(value, start);
        if (scan.problem() != null) {
            return new DecodedRecord.Skipped(SkipReason.INVALID_JSON, scan.problem());
        }
        SseFrames.Body body = SseFrames.recordBody(prefix, value, start, time, traceparent);
        return new DecodedRecord.Deliverable(new ChannelRecord(channel, partition, offset, timestamp, keyText,
                scan.severity(), body.bytes(), body.valueOffset(), body.valueLength(), false,
                channel.stateKey(keyText, scan.stateValue()), headers));
    }

    /** A key or value a schema decoder did not turn into JSON: skipped for good, or to be tried again. */
    private static DecodedRecord notJson(Decoded decoded, String part) {
        if (decoded instanceof Decoded.Skip skip) {
            return new DecodedRecord.Skipped(SkipReason.of(skip.reason()), part + ": " + skip.detail());
        }
        return new DecodedRecord.Wait("schema registry: " + ((Decoded.Wait) decoded).cause().getMessage());
    }

    /**
     * A decoded key as the key filters see it: the text of a JSON string (what a string key was), the JSON
     * text of anything else.
     */
    private static String keyText(byte[] json) {
        String text = new String(json, StandardCharsets.UTF_8);
        if (text.length() >= 2 && text.charAt(0) == '"') {
            try (JsonParser parser = JSON.createParser(ObjectReadContext.empty(), json)) {
                parser.nextToken();
                return parser.getString();
            }
        }
        return text;
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

    /**
     * What one pass of the JSON parser found: a problem (null when the value is one JSON document), the severity,
     * and the text of the state field (a string's content, a number's or boolean's text), or null.
     */
    private record Scan(String problem, int severity, String stateValue) {
    }

    /**
     * Checks that {@code value} holds exactly one JSON document and, on the way, reads the severity field
     * of a top-level object: one parse serves both.
     */
    private Scan scan(byte[] value, int start) {
        int severity = -1;
        String stateValue = null;
        try (JsonParser parser = JSON.createParser(ObjectReadContext.empty(), value, start, value.length - start)) {
            JsonToken token = parser.nextToken();
            if (token == null) {
                return new Scan("empty value", -1, null);
            }
            String severityField = channel.severityField();
            String stateField = channel.stateField();
            if (token == JsonToken.START_OBJECT && (severityField != null || stateField != null)) {
                while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
                    String name = parser.currentName();
                    JsonToken fieldValue = parser.nextToken();
                    if (fieldValue == JsonToken.VALUE_STRING && name.equals(severityField)) {
                        severity = Severities.rank(parser.getString());
                    }
                    if (fieldValue.isScalarValue() && name.equals(stateField)) {
                        stateValue = parser.getText();
                    }
                    parser.skipChildren();
                }
            } else {
                parser.skipChildren();
            }
            if (parser.nextToken() != null) {
                return new Scan("more than one JSON document", -1, null);
            }
            return new Scan(null, severity, stateValue);
        } catch (JacksonException e) {
            return new Scan(e.getOriginalMessage(), -1, null);
        }
    }
}
