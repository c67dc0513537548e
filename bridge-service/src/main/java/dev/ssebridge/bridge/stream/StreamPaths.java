package dev.ssebridge.bridge.stream;

import java.util.List;

/** Which request paths are SSE streams, for the parts that act before a controller is chosen. */
public final class StreamPaths {

    private static final String PREFIX = "/api/v1/sse/";

    private StreamPaths() {
    }

    /**
     * {@code /api/v1/sse/{channel}}, {@code /api/v1/sse/stream} or a route's {@code /api/v1/sse/{route}/{value}};
     * not status, not history.
     */
    public static boolean isStream(String path) {
        return segments(path) != null;
    }

    /**
     * The segments after {@code /api/v1/sse/} of a stream path (one: a channel or {@code stream}; two: a route and
     * its value), as they are in the path (not decoded), or null when the path is not a stream's.
     */
    static List<String> segments(String path) {
        if (!path.startsWith(PREFIX)) {
            return null;
        }
        String rest = path.substring(PREFIX.length());
        int slash = rest.indexOf('/');
        if (slash < 0) {
            return !rest.isEmpty() && !rest.equals("status") ? List.of(rest) : null;
        }
        String first = rest.substring(0, slash);
        String second = rest.substring(slash + 1);
        boolean route = !first.isEmpty() && !second.isEmpty() && second.indexOf('/') < 0 && !first.equals("history")
                && !first.equals("status");
        return route ? List.of(first, second) : null;
    }
}
