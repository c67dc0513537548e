package dev.ssebridge.bridge.stream;

/** Which request paths are SSE streams, for the parts that act before a controller is chosen. */
public final class StreamPaths {

    private static final String PREFIX = "/api/v1/sse/";

    private StreamPaths() {
    }

    /** {@code /api/v1/sse/{channel}} or {@code /api/v1/sse/stream}; not status, not history. */
    public static boolean isStream(String path) {
        return segment(path) != null;
    }

    /** The channel name (or {@code stream}) of a stream path, or null when the path is not a stream's. */
    static String segment(String path) {
        if (!path.startsWith(PREFIX)) {
            return null;
        }
        String rest = path.substring(PREFIX.length());
        return !rest.isEmpty() && rest.indexOf('/') < 0 && !rest.equals("status") ? rest : null;
    }
}
