package dev.ssebridge.bridge.request;

import java.util.List;

/** A stream path that names neither a channel nor a route: a 404 naming what exists. */
public class UnknownStreamException extends RuntimeException {

    private final String stream;
    private final List<String> known;

    public UnknownStreamException(String stream, List<String> known) {
        super("unknown stream '" + stream + "'");
        this.stream = stream;
        this.known = List.copyOf(known);
    }

    public String stream() {
        return stream;
    }

    public List<String> known() {
        return known;
    }
}
