package dev.ssebridge.bridge.frame;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.function.Consumer;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.json.JsonMapper;

/**
 * Encodes the SSE fields the bridge writes. Payload JSON always comes from Jackson (compact, so it has
 * no line breaks), never from string concatenation of values.
 */
public final class SseFrames {

    private static final JsonMapper JSON = JsonMapper.builder().build();

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
        return envelopeEvent(name, json -> json.writePOJO(data), now.truncatedTo(ChronoUnit.MILLIS).toString());
    }

    /**
     * The {@code connected} event, as {@link #controlEvent} writes it for data {@code client_id}, {@code channel}
     * (when there is one) and {@code channels}. Every connection starts with one, so its data is written
     * field by field rather than through a map: a reconnect storm opens thousands a second.
     *
     * @param timestamp the time as {@link IsoTimestamps} writes it (formatting an {@code Instant} was half of
     *                  this method's time)
     */
    public static byte[] connectedEvent(String clientId, List<String> channels, byte[] timestamp) {
        return envelopeEvent("connected", json -> {
            json.writeStartObject();
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
