package dev.ssebridge.bridge.where;

import dev.cel.common.values.NullValue;
import java.nio.charset.StandardCharsets;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.json.JsonFactory;

/**
 * The value of one record (an event's {@code data}) as {@code ?where=} filters see it: parsed at most once,
 * on first use, and then shared by every connection that evaluates a filter on it, on any thread.
 *
 * <p>Meant to be attached to an event when the hub publishes it (and to the snapshot entry of its key), at
 * no cost until a connection with a filter asks: the bytes it reads are the event's own shared frame, so
 * nothing is copied. Two threads asking at once may both parse; they get equal immutable trees and one of
 * them is kept, so no lock is needed. The tree stays as long as the event does (see the design note on
 * memory).
 *
 * <p>A value that is absent (a tombstone) or cannot be read is CEL {@code null}: every field access on it
 * fails, so filters that look at fields do not match it.
 */
public final class EventValue {

    /** No value: a tombstone. */
    public static final EventValue ABSENT = new EventValue(null, 0, 0, null);

    private static final JsonFactory JSON = new JsonFactory();
    private static final Object UNPARSED = new Object();
    private static final byte[] DATA_LINE = "data: ".getBytes(StandardCharsets.US_ASCII);

    private final byte[] bytes;
    private final int offset;
    private final int length;
    private final String member;
    private volatile Object tree;

    private EventValue(byte[] bytes, int offset, int length, String member) {
        this.bytes = bytes;
        this.offset = offset;
        this.length = length;
        this.member = member;
        this.tree = bytes == null ? NullValue.NULL_VALUE : UNPARSED;
    }

    /** The JSON document {@code json} (not copied: it must not change). */
    public static EventValue ofJson(byte[] json) {
        return new EventValue(json, 0, json.length, null);
    }

    /**
     * The {@code data} member of the envelope on the {@code data:} line of an SSE event as {@code RecordDecoder}
     * writes it ({@code {"event":..,"data":<value>,"timestamp":..}} on one line). The frame is not copied.
     *
     * @param bodyOffset where the event's lines start (after any {@code id:} line)
     */
    public static EventValue ofSseFrame(byte[] frame, int bodyOffset) {
        int line = bodyOffset;
        while (line < frame.length && !startsWith(frame, line, DATA_LINE)) {
            int end = indexOf(frame, line, (byte) '\n');
            if (end < 0) {
                return ABSENT;
            }
            line = end + 1;
        }
        if (line >= frame.length) {
            return ABSENT;
        }
        int start = line + DATA_LINE.length;
        int end = indexOf(frame, start, (byte) '\n');
        return new EventValue(frame, start, (end < 0 ? frame.length : end) - start, "data");
    }

    /** The immutable tree (see {@link JsonTrees}); CEL {@code null} for an absent or unreadable value. */
    Object tree() {
        Object t = tree;
        if (t == UNPARSED) {
            t = parse();
            tree = t;
        }
        return t;
    }

    private Object parse() {
        try {
            if (member == null) {
                return JsonTrees.parse(bytes, offset, length);
            }
            try (JsonParser parser = JSON.createParser(ObjectReadContext.empty(), bytes, offset, length)) {
                if (parser.nextToken() != JsonToken.START_OBJECT) {
                    return NullValue.NULL_VALUE;
                }
                for (JsonToken t = parser.nextToken(); t == JsonToken.PROPERTY_NAME; t = parser.nextToken()) {
                    JsonToken value = parser.nextToken();
                    if (member.equals(parser.currentName())) {
                        return JsonTrees.read(parser, value);
                    }
                    parser.skipChildren();
                }
                return NullValue.NULL_VALUE;
            }
        } catch (JacksonException | IllegalArgumentException e) {
            // The decoder let only well-formed JSON through, so this is a frame of another shape: no value.
            return NullValue.NULL_VALUE;
        }
    }

    private static boolean startsWith(byte[] bytes, int at, byte[] prefix) {
        if (bytes.length - at < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (bytes[at + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static int indexOf(byte[] bytes, int from, byte b) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return -1;
    }
}
