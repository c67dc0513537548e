package dev.ssebridge.bridge.request;

import java.util.List;
import java.util.Optional;

/** A stream path that names neither a channel nor a route: a 404 naming what exists. */
public class UnknownStreamException extends RuntimeException {

    private final String stream;
    private final String family;
    private final List<String> known;

    /**
     * @param stream the path after {@code /api/v1/sse/}, as asked for
     * @param family the family of topics the path asked a topic of, or null when it named none
     * @param known  every stream a path may start with
     */
    public UnknownStreamException(String stream, String family, List<String> known) {
        super("unknown stream '" + stream + "'");
        this.stream = stream;
        this.family = family;
        this.known = List.copyOf(known);
    }

    public String stream() {
        return stream;
    }

    /** The family whose topic was refused (missing, outside the allow-list, or not for this caller), if any. */
    public Optional<String> family() {
        return Optional.ofNullable(family);
    }

    public List<String> known() {
        return known;
    }
}
