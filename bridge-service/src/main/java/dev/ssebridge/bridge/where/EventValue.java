package dev.ssebridge.bridge.where;

import dev.cel.common.values.NullValue;
import tools.jackson.core.JacksonException;

/**
 * The value of one record (an event's {@code data}) as {@code ?where=} filters see it: parsed at most once,
 * on first use, and then shared by every connection that evaluates a filter on it, on any thread.
 *
 * <p>Attached to an event when the hub publishes it (and to the snapshot entry of its key), at no cost until a
 * connection with a filter asks. It reads the value where the record's decoder put it in the event's shared frame
 * (the frame's layout is {@code SseFrames}' alone: the decoder says where the value lies), so nothing is copied and
 * nothing here knows the frame. Two threads asking at once may both parse; they get equal immutable trees and one
 * of them is kept, so no lock is needed. The tree stays as long as the event does (see the design note on memory).
 *
 * <p>A value that is absent (a tombstone) or cannot be read is CEL {@code null}: every field access on it
 * fails, so filters that look at fields do not match it.
 */
public final class EventValue {

    /** No value: a tombstone. */
    public static final EventValue ABSENT = new EventValue(null, 0, 0);

    private static final Object UNPARSED = new Object();

    private final byte[] bytes;
    private final int offset;
    private final int length;
    private volatile Object tree;

    private EventValue(byte[] bytes, int offset, int length) {
        this.bytes = bytes;
        this.offset = offset;
        this.length = length;
        this.tree = bytes == null ? NullValue.NULL_VALUE : UNPARSED;
    }

    /** The JSON document {@code json} (not copied: it must not change). */
    public static EventValue ofJson(byte[] json) {
        return ofJson(json, 0, json.length);
    }

    /**
     * The JSON document at {@code offset} in {@code bytes}, {@code length} bytes long (not copied: it must not
     * change): a record's value inside its event's shared frame, where the decoder put it.
     */
    public static EventValue ofJson(byte[] bytes, int offset, int length) {
        return new EventValue(bytes, offset, length);
    }

    /**
     * The immutable tree CEL evaluates (see {@link JsonTrees}); CEL {@code null} for an absent or unreadable value.
     * Parsed on the first call, on whichever thread makes it.
     */
    public Object tree() {
        Object t = tree;
        if (t == UNPARSED) {
            t = parse();
            tree = t;
        }
        return t;
    }

    private Object parse() {
        try {
            return JsonTrees.parse(bytes, offset, length);
        } catch (JacksonException | IllegalArgumentException e) {
            // The decoder let only well-formed JSON through, so this is not a record's value: no value.
            return NullValue.NULL_VALUE;
        }
    }
}
