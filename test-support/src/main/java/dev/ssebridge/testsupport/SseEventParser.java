package dev.ssebridge.testsupport;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * The event-stream part of an SSE client, for test clients that read raw bytes (a socket, a Netty byte stream, an
 * inflated body): fed the body in whatever pieces it comes, it hands on each complete event. Follows the HTML
 * standard's event-stream parsing as far as the bridge's streams need it: lines end with LF, CRLF or CR; fields
 * {@code event}, {@code data} (several lines joined with LF) and {@code id}; one space after the colon is dropped;
 * comments and other fields are ignored; a blank line dispatches an event that has data; the id sticks, as
 * EventSource's {@code lastEventId} does. Not thread-safe: one parser per stream, fed by one thread.
 */
public final class SseEventParser {

    /** One dispatched event: its name ({@code message} when it has none), data, and the last id seen so far. */
    public record Event(String name, String data, String lastId) {
    }

    private final Consumer<Event> sink;
    private byte[] line = new byte[1024];
    private int lineLength;
    /** The last byte fed was a CR: an LF right after it ends no second line. */
    private boolean afterCr;
    private String name;
    private StringBuilder data;
    private String lastId;

    public SseEventParser(Consumer<Event> sink) {
        this.sink = sink;
    }

    /** Parses {@code length} bytes of the body from {@code offset}, dispatching the events they complete. */
    public void feed(byte[] bytes, int offset, int length) {
        int end = offset + length;
        int start = offset;
        for (int i = offset; i < end; i++) {
            byte b = bytes[i];
            if (b == '\n' || b == '\r') {
                if (!(b == '\n' && afterCr)) { // the LF of a CRLF: its line ended at the CR
                    append(bytes, start, i - start);
                    line(new String(line, 0, lineLength, StandardCharsets.UTF_8));
                    lineLength = 0;
                }
                start = i + 1;
            }
            afterCr = b == '\r';
        }
        append(bytes, start, end - start);
    }

    /** The last id the stream set, or null. */
    public String lastId() {
        return lastId;
    }

    private void append(byte[] bytes, int from, int count) {
        if (lineLength + count > line.length) {
            line = Arrays.copyOf(line, Math.max(line.length * 2, lineLength + count));
        }
        System.arraycopy(bytes, from, line, lineLength, count);
        lineLength += count;
    }

    private void line(String text) {
        if (text.isEmpty()) {
            if (data != null) {
                sink.accept(new Event(name == null ? "message" : name, data.toString(), lastId));
            }
            name = null;
            data = null;
            return;
        }
        int colon = text.indexOf(':');
        String field = colon < 0 ? text : text.substring(0, colon);
        String value = colon < 0 ? "" : text.substring(colon + 1);
        if (value.startsWith(" ")) {
            value = value.substring(1);
        }
        switch (field) {
            case "event" -> name = value;
            case "id" -> lastId = value;
            case "data" -> data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
            default -> { } // a comment (empty field name), retry, or a field this parser does not know
        }
    }
}
