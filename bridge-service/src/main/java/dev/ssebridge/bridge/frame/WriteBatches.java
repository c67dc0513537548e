package dev.ssebridge.bridge.frame;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToIntFunction;

/**
 * How events that wait for the same connection are grouped into one write.
 *
 * <p>A write to a connection costs about the same whatever it carries (the pipeline, a flush, a system call),
 * so events that queue up for a connection (a loop running behind the tail, a replay) go out as one chunk.
 * The bounds keep one write small: a client that stops reading pins the writes asked for ahead of its
 * socket beyond its outbox (the stream route's chunk writer asks for 16, the stream's merge with its stall
 * signal takes 32; Reactor Netty's send operator, where it still writes, keeps up to 128 in flight), so the
 * size of a write multiplies what a stalled client can hold. 16 events take 94% of the per-write cost off each
 * event already.
 */
public final class WriteBatches {

    /** Events in one write, at most. */
    public static final int MAX_EVENTS = 16;

    /** Bytes in one write, at most, unless a single event is larger (an event is never split). */
    public static final int MAX_BYTES = 4096;

    private WriteBatches() {
    }

    /**
     * Consecutive runs of {@code items}, in order, each within the bounds; views of {@code items}, which
     * must not change afterwards.
     */
    public static <T> List<List<T>> split(List<T> items, ToIntFunction<? super T> size) {
        List<List<T>> batches = new ArrayList<>(items.size() / MAX_EVENTS + 1);
        int from = 0;
        int bytes = 0;
        for (int i = 0; i < items.size(); i++) {
            int itemSize = size.applyAsInt(items.get(i));
            int count = i - from;
            if (count > 0 && (count == MAX_EVENTS || bytes + itemSize > MAX_BYTES)) {
                batches.add(items.subList(from, i));
                from = i;
                bytes = 0;
            }
            bytes += itemSize;
        }
        if (from < items.size()) {
            batches.add(items.subList(from, items.size()));
        }
        return batches;
    }

    /** The frames one after the other in one array; the frame itself when there is one. */
    public static byte[] join(List<byte[]> frames) {
        if (frames.size() == 1) {
            return frames.get(0);
        }
        int length = 0;
        for (byte[] frame : frames) {
            length += frame.length;
        }
        byte[] joined = new byte[length];
        int at = 0;
        for (byte[] frame : frames) {
            System.arraycopy(frame, 0, joined, at, frame.length);
            at += frame.length;
        }
        return joined;
    }
}
