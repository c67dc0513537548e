package dev.ssebridge.bridge.event;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.json.JsonMapper;

/**
 * Encodes the SSE fields the bridge writes. Payload JSON always comes from Jackson (compact, so it has
 * no line breaks), never from string concatenation of values.
 */
public final class SseFrames {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final byte[] CONNECTED_HEAD = "event: connected\ndata: ".getBytes(StandardCharsets.US_ASCII);

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

    /**
     * A complete control event (no {@code id:}): {@code event: name}, and a {@code data:} line holding the
     * envelope {@code {"event":name,"data":data,"timestamp":now}}.
     */
    public static byte[] controlEvent(String name, Object data, Instant now) {
        Map<String, Object> envelope = new java.util.LinkedHashMap<>();
        envelope.put("event", name);
        envelope.put("data", data);
        envelope.put("timestamp", now.truncatedTo(ChronoUnit.MILLIS).toString());
        byte[] json = JSON.writeValueAsBytes(envelope);
        byte[] head = ("event: " + name + "\ndata: ").getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[head.length + json.length + 2];
        System.arraycopy(head, 0, out, 0, head.length);
        System.arraycopy(json, 0, out, head.length, json.length);
        out[out.length - 2] = '\n';
        out[out.length - 1] = '\n';
        return out;
    }

    /**
     * The {@code connected} event, as {@link #controlEvent} writes it for data {@code client_id}, {@code channel}
     * (when there is one) and {@code channels}. Every connection starts with one, so it is written with
     * Jackson's generator straight into the frame rather than through a map: a reconnect storm opens
     * thousands a second.
     *
     * @param timestamp the time as {@link IsoTimestamps} writes it (formatting an {@code Instant} was half of
     *                  this method's time)
     */
    public static byte[] connectedEvent(String clientId, List<String> channels, byte[] timestamp) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(128 + 32 * channels.size());
        out.writeBytes(CONNECTED_HEAD);
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            json.writeStringProperty("event", "connected");
            json.writeObjectPropertyStart("data");
            json.writeStringProperty("client_id", clientId);
            if (channels.size() == 1) {
                json.writeStringProperty("channel", channels.get(0));
            }
            json.writeArrayPropertyStart("channels");
            for (String channel : channels) {
                json.writeString(channel);
            }
            json.writeEndArray();
            json.writeEndObject();
            json.writeStringProperty("timestamp", new String(timestamp, StandardCharsets.US_ASCII));
            json.writeEndObject();
        }
        out.write('\n');
        out.write('\n');
        return out.toByteArray();
    }

    /**
     * The envelope JSON of an event body written by this class or {@code RecordDecoder}
     * ({@code event: name\ndata: {...}\n\n}, starting at {@code offset}).
     */
    public static byte[] envelope(byte[] body, int offset) {
        int data = offset;
        while (!(body[data] == '\n' && body[data + 1] == 'd')) {
            data++;
        }
        int start = data + "\ndata: ".length();
        return java.util.Arrays.copyOfRange(body, start, body.length - 2);
    }

    /** {@code s} as a JSON string literal, quotes included. */
    public static String jsonString(String s) {
        return JSON.writeValueAsString(s);
    }
}
