package dev.ssebridge.testsupport;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.IntConsumer;

/**
 * Reads an HTTP/1.1 response carrying an SSE stream from raw bytes, fed in whatever pieces the socket gives:
 * the status line, the headers, a chunked (or plain) body, and the SSE events in it ({@link SseEventParser}).
 * Not thread-safe: one reader per connection, fed by one thread.
 */
final class ChunkedSseReader {

    /** One dispatched event. */
    interface EventListener {
        void onEvent(String name, String id, String data);
    }

    private enum State { STATUS, HEADERS, CHUNK_SIZE, CHUNK_DATA, CHUNK_END, PLAIN_BODY, DONE }

    private final IntConsumer onStatus;
    private final SseEventParser events;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream(256);
    private State state = State.STATUS;
    private boolean chunked;
    private long chunkLeft;
    private int chunkEndLeft;

    ChunkedSseReader(IntConsumer onStatus, EventListener onEvent) {
        this.onStatus = onStatus;
        this.events = new SseEventParser(event -> onEvent.onEvent(event.name(), event.lastId(), event.data()));
    }

    void feed(byte[] bytes, int length) {
        int i = 0;
        while (i < length) {
            switch (state) {
                case STATUS, HEADERS, CHUNK_SIZE -> {
                    byte b = bytes[i++];
                    if (b == '\n') {
                        headerLine(stripCr(line.toString(StandardCharsets.US_ASCII)));
                        line.reset();
                    } else {
                        line.write(b);
                    }
                }
                case CHUNK_DATA -> {
                    int n = (int) Math.min(chunkLeft, length - i);
                    events.feed(bytes, i, n);
                    i += n;
                    chunkLeft -= n;
                    if (chunkLeft == 0) {
                        state = State.CHUNK_END;
                        chunkEndLeft = 2;
                    }
                }
                case CHUNK_END -> {
                    i++; // the CRLF after a chunk's data
                    if (--chunkEndLeft == 0) {
                        state = State.CHUNK_SIZE;
                    }
                }
                case PLAIN_BODY -> {
                    events.feed(bytes, i, length - i);
                    i = length;
                }
                case DONE -> i = length;
                default -> throw new IllegalStateException(state.name());
            }
        }
    }

    private void headerLine(String text) {
        switch (state) {
            case STATUS -> {
                String[] parts = text.split(" ", 3);
                onStatus.accept(parts.length > 1 ? Integer.parseInt(parts[1]) : 0);
                state = State.HEADERS;
            }
            case HEADERS -> {
                if (text.isEmpty()) {
                    state = chunked ? State.CHUNK_SIZE : State.PLAIN_BODY;
                } else if (text.toLowerCase().startsWith("transfer-encoding:") && text.toLowerCase().contains("chunked")) {
                    chunked = true;
                }
            }
            case CHUNK_SIZE -> {
                int extension = text.indexOf(';');
                long size = Long.parseLong((extension < 0 ? text : text.substring(0, extension)).trim(), 16);
                if (size == 0) {
                    state = State.DONE;
                } else {
                    chunkLeft = size;
                    state = State.CHUNK_DATA;
                }
            }
            default -> throw new IllegalStateException(state.name());
        }
    }

    private static String stripCr(String text) {
        return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
    }
}
