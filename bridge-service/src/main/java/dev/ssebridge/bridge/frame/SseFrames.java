package dev.ssebridge.bridge.frame;

import dev.ssebridge.bridge.channel.Channel;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.function.Consumer;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one place that knows the byte layout of the SSE events the bridge writes:
 * <pre>
 * id: &lt;cursor&gt;                                       (optional; its own line)
 * event: &lt;name&gt;
 * data: {"event":"&lt;name&gt;","data":&lt;value&gt;,"timestamp":"&lt;ISO-8601&gt;"}
 *                                                       (blank line)
 * </pre>
 * On a channel with {@code trace-context}, a record that carried a W3C trace context has one more member after the
 * timestamp, {@code "traceparent":"00-…"}: in the data line, the only place an {@code EventSource} client can read.
 * A record's event is written once (its <em>body</em>, from {@code event:} on) and shared; an {@code id:} line
 * goes in front of it per stream position. Payload JSON always comes from Jackson (compact, so it has no line
 * breaks) or is a record value checked to be JSON whose line breaks became spaces; never from string
 * concatenation of values.
 */
public final class SseFrames {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final byte[] ID = ascii("id: ");
    private static final byte[] DATA_LINE = ascii("\ndata: ");
    private static final byte[] TIMESTAMP_HEAD = ascii(",\"timestamp\":\"");
    private static final byte[] TAIL = ascii("\"}\n\n");
    private static final byte[] TRACEPARENT_HEAD = ascii("\",\"traceparent\":\"");
    private static final byte[] TOMBSTONE_PREFIX = ascii("event: delete\ndata: {\"event\":\"delete\",\"data\":{\"key\":");

    private SseFrames() {
    }

    /** {@code id: <cursor>\n}. Cursors are base64url, so they never contain line breaks. */
    public static byte[] idLine(String cursor) {
        return ("id: " + cursor + "\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** {@code retry: <millis>\n}. */
    public static byte[] retryLine(long millis) {
        return ("retry: " + millis + "\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** {@code body} from {@code from} on, behind an {@code id:} line for {@code cursor}: one event, one array. */
    public static byte[] withId(String cursor, byte[] body, int from) {
        int idLength = ID.length + cursor.length() + 1;
        byte[] out = new byte[idLength + body.length - from];
        System.arraycopy(ID, 0, out, 0, ID.length);
        for (int i = 0; i < cursor.length(); i++) {
            out[ID.length + i] = (byte) cursor.charAt(i); // base64url: ASCII
        }
        out[idLength - 1] = '\n';
        System.arraycopy(body, from, out, idLength, body.length - from);
        return out;
    }

    /** What a record's event body starts with: the {@code event:} line and the envelope up to the value. */
    static byte[] recordPrefix(String eventName) {
        return ascii("event: " + eventName + "\ndata: {\"event\":" + jsonString(eventName) + ",\"data\":");
    }

    /**
     * A record's event body, and where the record's value lies in it: what filters read the value from, without
     * knowing this layout.
     */
    record Body(byte[] bytes, int valueOffset, int valueLength) {
    }

    /**
     * A record's event body: {@code prefix}, the value's JSON from {@code jsonStart} (its CR and LF, which JSON
     * allows only as whitespace between tokens, become spaces: an SSE {@code data:} line holds no line break),
     * then the timestamp, the trace context if there is one, and the end of the event, in one array.
     *
     * @param traceparent a valid W3C {@code traceparent} (ASCII, no quotes), or null
     */
    static Body recordBody(byte[] prefix, byte[] json, int jsonStart, byte[] timestamp, String traceparent) {
        int jsonLength = json.length - jsonStart;
        byte[] trace = traceparent == null ? new byte[0] : ascii(traceparent);
        byte[] out = new byte[prefix.length + jsonLength + TIMESTAMP_HEAD.length + timestamp.length
                + (traceparent == null ? 0 : TRACEPARENT_HEAD.length + trace.length) + TAIL.length];
        int at = 0;
        System.arraycopy(prefix, 0, out, at, prefix.length);
        at += prefix.length;
        System.arraycopy(json, jsonStart, out, at, jsonLength);
        for (int i = at; i < at + jsonLength; i++) {
            if (out[i] == '\n' || out[i] == '\r') {
                out[i] = ' ';
            }
        }
        at += jsonLength;
        System.arraycopy(TIMESTAMP_HEAD, 0, out, at, TIMESTAMP_HEAD.length);
        at += TIMESTAMP_HEAD.length;
        System.arraycopy(timestamp, 0, out, at, timestamp.length);
        at += timestamp.length;
        if (traceparent != null) {
            System.arraycopy(TRACEPARENT_HEAD, 0, out, at, TRACEPARENT_HEAD.length);
            at += TRACEPARENT_HEAD.length;
            System.arraycopy(trace, 0, out, at, trace.length);
            at += trace.length;
        }
        System.arraycopy(TAIL, 0, out, at, TAIL.length);
        return new Body(out, prefix.length, jsonLength);
    }

    /**
     * The {@code delete} event of a tombstone: {@code {"key": <key or null>, "channel": <name>}}. The channel tells a
     * client of a multiplexed stream whose state loses the key.
     */
    static Body tombstoneBody(String key, String channel, byte[] timestamp) {
        byte[] keyJson = ascii((key == null ? "null" : jsonString(key)) + ",\"channel\":" + jsonString(channel) + "}");
        byte[] value = new byte[keyJson.length];
        System.arraycopy(keyJson, 0, value, 0, keyJson.length);
        return recordBody(TOMBSTONE_PREFIX, value, 0, timestamp, null);
    }

    /**
     * A complete control event (no {@code id:}): {@code event: name}, and a {@code data:} line holding the
     * envelope {@code {"event":name,"data":data,"timestamp":now}}.
     */
    public static byte[] controlEvent(String name, Object data, Instant now) {
        return envelopeEvent(name, json -> json.writePOJO(data), now.truncatedTo(ChronoUnit.MILLIS).toString());
    }

    /**
     * The {@code connected} event, as {@link #controlEvent} writes it for data {@code client_id}, {@code channel}
     * (when there is one), {@code channels} and {@code events} (channel to event name). Every connection starts
     * with one, so its data is written field by field rather than through a map: a reconnect storm opens thousands
     * a second.
     *
     * @param timestamp the time as {@link IsoTimestamps} writes it (formatting an {@code Instant} was half of
     *                  this method's time)
     */
    public static byte[] connectedEvent(String clientId, List<Channel> channels, byte[] timestamp) {
        return envelopeEvent("connected", json -> {
            json.writeStartObject();
            json.writeStringProperty("client_id", clientId);
            if (channels.size() == 1) {
                json.writeStringProperty("channel", channels.get(0).name());
            }
            json.writeArrayPropertyStart("channels");
            for (Channel channel : channels) {
                json.writeString(channel.name());
            }
            json.writeEndArray();
            // Each channel's event name: a client that listens by name (EventSource) learns what to listen to, and
            // one of a multiplexed stream whose event is whose.
            json.writeObjectPropertyStart("events");
            for (Channel channel : channels) {
                json.writeStringProperty(channel.name(), channel.eventName());
            }
            json.writeEndObject();
            json.writeEndObject();
        }, new String(timestamp, StandardCharsets.US_ASCII));
    }

    /**
     * {@code event: name}, then a {@code data:} line with the envelope {@code {"event":name,"data":...,
     * "timestamp":...}}, written by Jackson's generator straight into the frame; {@code data} writes the value.
     */
    private static byte[] envelopeEvent(String name, Consumer<JsonGenerator> data, String timestamp) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(128);
        out.writeBytes(("event: " + name + "\ndata: ").getBytes(StandardCharsets.US_ASCII));
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            json.writeStringProperty("event", name);
            json.writeName("data");
            data.accept(json);
            json.writeStringProperty("timestamp", timestamp);
            json.writeEndObject();
        }
        out.write('\n');
        out.write('\n');
        return out.toByteArray();
    }

    /**
     * The parts of an event's envelope, for answers that carry events as JSON objects (history).
     *
     * @param traceparent the record's trace context, on a channel that carries it; null otherwise
     */
    public record Envelope(String event, String dataJson, String timestamp, String traceparent) {
    }

    /** The envelope of an event body (from {@code from}) this class wrote: its name, value JSON and timestamp. */
    public static Envelope envelope(byte[] body, int from) {
        int dataLine = indexOf(body, DATA_LINE, from);
        int json = dataLine + DATA_LINE.length;
        int end = body.length - 2; // the event's blank line
        String envelope = new String(body, json, end - json, StandardCharsets.UTF_8);
        // {"event":<json string>,"data":<value>,"timestamp":"<ISO>"}: the name is a JSON string, the timestamp
        // plain ASCII, the value whatever lies between.
        String eventName = new String(body, from + "event: ".length(), dataLine - from - "event: ".length(),
                StandardCharsets.UTF_8);
        int valueStart = ("{\"event\":" + jsonString(eventName) + ",\"data\":").length();
        int timestampAt = envelope.lastIndexOf(",\"timestamp\":\"");
        String rest = envelope.substring(timestampAt + ",\"timestamp\":\"".length(), envelope.length() - 2);
        int traceAt = rest.indexOf("\",\"traceparent\":\"");
        return new Envelope(eventName, envelope.substring(valueStart, timestampAt),
                traceAt < 0 ? rest : rest.substring(0, traceAt),
                traceAt < 0 ? null : rest.substring(traceAt + "\",\"traceparent\":\"".length()));
    }

    /** {@code s} as a JSON string literal, quotes included. */
    public static String jsonString(String s) {
        return JSON.writeValueAsString(s);
    }

    private static int indexOf(byte[] bytes, byte[] part, int from) {
        outer:
        for (int i = from; i <= bytes.length - part.length; i++) {
            for (int j = 0; j < part.length; j++) {
                if (bytes[i + j] != part[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new IllegalArgumentException("not an event this bridge wrote");
    }


    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
