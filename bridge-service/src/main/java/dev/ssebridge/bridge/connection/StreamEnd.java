package dev.ssebridge.bridge.connection;

/**
 * Why the bridge ends a stream itself. The connection's last event is a {@code stream_end} event naming
 * the reason, with the connection's cursor as its id, so that EventSource reconnects at once and
 * resumes without loss.
 */
public enum StreamEnd {
    /** The client did not keep up; its queue reached its bound. */
    FELL_BEHIND("fell_behind", "The client fell behind the stream; reconnect with Last-Event-ID to resume."),
    /** This bridge instance is shutting down. */
    SHUTDOWN("shutdown", "This bridge instance is shutting down; reconnect to resume."),
    /** A replay from Kafka made no progress (Kafka unreachable); the client retries from where it got to. */
    REPLAY_UNAVAILABLE("replay_unavailable", "Kafka did not answer the replay in time; reconnect to resume."),
    /** The access token expired; the client reconnects with a fresh one and resumes. */
    TOKEN_EXPIRED("token_expired", "The access token expired; reconnect with a fresh token and Last-Event-ID to resume."),
    /**
     * The channel's topic was deleted and re-created: offsets start again, so the client resumes with its cursor and
     * is served the new topic from its beginning (announced by a {@code replay_gap} with reason topic_recreated).
     */
    TOPIC_RECREATED("topic_recreated", "The channel's topic was deleted and re-created; reconnect with Last-Event-ID "
            + "to read the new topic from its beginning."),
    /** A newer connection with the same client_id and channels took this one's place (a stale tab). */
    REPLACED("replaced", "A newer connection with the same client_id replaced this one.");

    private final String reason;
    private final String message;

    StreamEnd(String reason, String message) {
        this.reason = reason;
        this.message = message;
    }

    public String reason() {
        return reason;
    }

    public String message() {
        return message;
    }
}
