package dev.ssebridge.bridge.kafka;

import java.time.Duration;

/** A family of topics reads as many topics as it may; a stream of one more waits until one stops (a 503). */
public class FamilyFullException extends RuntimeException {

    private final String family;
    private final Duration retryAfter;

    FamilyFullException(String family, int maxTopics, Duration retryAfter) {
        super("family '" + family + "' reads " + maxTopics + " topics, as many as it may at once; a topic's tail "
                + "stops once it has had no stream for " + retryAfter.toSeconds() + " s");
        this.family = family;
        this.retryAfter = retryAfter;
    }

    public String family() {
        return family;
    }

    /** When a place may be free: a member's idle timeout. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
