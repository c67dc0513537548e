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
 * of them is kept. The tree stays as long as the event does, and counts in the memory bound of what holds the event:
 * the ring and the state take it with {@link #heldBy} and give it back with {@link #releasedBy}; when the tree is
 * built (or if it was already) its estimated size is added to each holder's {@link ParsedValues}, and taken off
 * again when the holder lets the event go.
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
    /** The ring and the state: at most two holders (guarded by this). */
    private ParsedValues holder;
    private ParsedValues otherHolder;
    /** The parsed tree's estimated size, 0 until it is parsed (guarded by this). */
    private long treeBytes;

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
            Object parsed = parse();
            synchronized (this) {
                t = tree;
                if (t == UNPARSED) {
                    t = parsed;
                    tree = t;
                    treeBytes = JsonTrees.estimatedBytes(t);
                    charge();
                }
            }
        }
        return t;
    }

    /** A holder (the ring, the state) keeps this value from now on: the tree, once parsed, counts in its bytes. */
    public void heldBy(ParsedValues account) {
        if (bytes == null) {
            return; // ABSENT: shared, nothing to parse
        }
        synchronized (this) {
            if (holder == null) {
                holder = account;
            } else if (otherHolder == null) {
                otherHolder = account;
            } else {
                throw new IllegalStateException("a value is held by a channel's ring and its state, no more");
            }
            count(account, 1);
        }
    }

    /** The holder let the value go (evicted, replaced, deleted): its tree no longer counts there. */
    public void releasedBy(ParsedValues account) {
        if (bytes == null) {
            return;
        }
        synchronized (this) {
            if (holder == account) {
                holder = null;
            } else if (otherHolder == account) {
                otherHolder = null;
            } else {
                return;
            }
            count(account, -1);
        }
    }

    /** Under this: the parsed tree, if any, counted in (1) or out of (-1) a holder's bytes. */
    private void count(ParsedValues account, int sign) {
        if (treeBytes > 0) {
            account.add(sign * treeBytes);
        }
    }

    /** The estimated size of the parsed tree; 0 while unparsed. */
    public synchronized long treeBytes() {
        return treeBytes;
    }

    private void charge() {
        if (holder != null) {
            count(holder, 1);
        }
        if (otherHolder != null) {
            count(otherHolder, 1);
        }
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
