package dev.ssebridge.bridge.support;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * A minimal SSE parser for test clients that read raw bytes (a socket, a Netty byte stream): feed it
 * chunks as they come, it calls back once per complete event. Follows the EventSource rules the bridge
 * relies on: fields {@code id}, {@code event}, {@code data}; a blank line ends an event; the id sticks.
 */
public final class SseParser {

    /** One event: name, data and the last id seen so far (EventSource's lastEventId). */
    public record Event(String name, String data, String lastId) {
    }

    private final Consumer<Event> sink;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();
    private String name = "message";
    private StringBuilder data;
    private String lastId;

    public SseParser(Consumer<Event> sink) {
        this.sink = sink;
    }

    public void feed(byte[] bytes, int offset, int length) {
        for (int i = offset; i < offset + length; i++) {
            byte b = bytes[i];
            if (b == '\n') {
                line(line.toString(StandardCharsets.UTF_8));
                line.reset();
            } else if (b != '\r') {
                line.write(b);
            }
        }
    }

    public String lastId() {
        return lastId;
    }

    private void line(String text) {
        if (text.isEmpty()) {
            if (data != null) {
                sink.accept(new Event(name, data.toString(), lastId));
            }
            name = "message";
            data = null;
            return;
        }
        int colon = text.indexOf(':');
        String field = colon < 0 ? text : text.substring(0, colon);
        String value = colon < 0 ? "" : text.substring(colon + 1).stripLeading();
        switch (field) {
            case "id" -> lastId = value;
            case "event" -> name = value;
            case "data" -> data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
            default -> { }
        }
    }
}
