package dev.ssebridge.benchmarks;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A minimal, allocation-light SSE parser for one connection: it reads lines straight from Netty buffers
 * and reports, per event, its name, its id (only when asked to keep ids) and the {@code seq} and
 * {@code sent_us} numbers of a benchmark record. It does not build strings for events it only counts.
 */
final class SseScanner {

    /** What the scanner reports. Called on the connection's event-loop thread. */
    interface Listener {
        void onEvent(EventKind kind, long seq, long sentMicros);
    }

    enum EventKind { CONNECTED, PING, RECORD, SNAPSHOT_END, STREAM_END, OTHER }

    private static final byte[] ID = "id: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] EVENT = "event: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DATA = "data: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SEQ = "\"seq\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SENT = "\"sent_us\":".getBytes(StandardCharsets.US_ASCII);

    private final Listener listener;
    private final boolean keepIds;
    private byte[] line = new byte[512];
    private int length;
    private EventKind kind = EventKind.OTHER;
    private boolean named;
    private long seq = -1;
    private long sent = -1;
    private String pendingId;
    private volatile String lastId;

    SseScanner(Listener listener, boolean keepIds) {
        this.listener = listener;
        this.keepIds = keepIds;
    }

    /** The id of the last complete event that had one (only with {@code keepIds}). */
    String lastId() {
        return lastId;
    }

    void feed(ByteBuf buf) {
        // Line by line with Netty's own search and bulk copies: byte by byte through getByte (bounds and
        // reference count checks on each) was a third of the load generator's CPU in a reconnect storm.
        int end = buf.writerIndex();
        int from = buf.readerIndex();
        while (from < end) {
            int lf = buf.indexOf(from, end, (byte) '\n');
            int stop = lf < 0 ? end : lf;
            append(buf, from, stop - from);
            if (lf < 0) {
                return;
            }
            endOfLine();
            from = lf + 1;
        }
    }

    private void append(ByteBuf buf, int from, int n) {
        if (length + n > line.length) {
            line = Arrays.copyOf(line, Math.max(line.length * 2, length + n));
        }
        buf.getBytes(from, line, length, n);
        length += n;
    }

    void feed(byte[] bytes) {
        feed(io.netty.buffer.Unpooled.wrappedBuffer(bytes));
    }

    private void endOfLine() {
        if (length == 0) {
            dispatch();
        } else if (startsWith(EVENT)) {
            named = true;
            kind = eventKind();
        } else if (startsWith(DATA)) {
            seq = number(SEQ);
            sent = number(SENT);
        } else if (keepIds && startsWith(ID)) {
            pendingId = new String(line, ID.length, length - ID.length, StandardCharsets.US_ASCII);
        }
        length = 0;
    }

    private void dispatch() {
        EventKind k = named ? kind : EventKind.OTHER;
        if (k == EventKind.OTHER && seq >= 0) {
            k = EventKind.RECORD;
        }
        if (pendingId != null) {
            lastId = pendingId;
        }
        listener.onEvent(k, seq, sent);
        kind = EventKind.OTHER;
        named = false;
        seq = -1;
        sent = -1;
        pendingId = null;
    }

    private EventKind eventKind() {
        int from = EVENT.length;
        int n = length - from;
        if (is(from, n, "ping")) {
            return EventKind.PING;
        }
        if (is(from, n, "connected")) {
            return EventKind.CONNECTED;
        }
        if (is(from, n, "stream_end")) {
            return EventKind.STREAM_END;
        }
        if (is(from, n, "snapshot_end")) {
            return EventKind.SNAPSHOT_END;
        }
        // Any other name is a channel's event; whether it is a benchmark record shows in its data.
        return EventKind.OTHER;
    }

    private boolean is(int from, int n, String name) {
        if (n != name.length()) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if (line[from + i] != name.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private boolean startsWith(byte[] prefix) {
        if (length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (line[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    /** The non-negative integer after the first {@code key} in the line, or -1. */
    private long number(byte[] key) {
        outer:
        for (int i = 0; i <= length - key.length; i++) {
            for (int j = 0; j < key.length; j++) {
                if (line[i + j] != key[j]) {
                    continue outer;
                }
            }
            long value = 0;
            int k = i + key.length;
            if (k >= length || line[k] < '0' || line[k] > '9') {
                return -1;
            }
            while (k < length && line[k] >= '0' && line[k] <= '9') {
                value = value * 10 + (line[k++] - '0');
            }
            return value;
        }
        return -1;
    }
}
