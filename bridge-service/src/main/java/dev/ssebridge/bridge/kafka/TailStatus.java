package dev.ssebridge.bridge.kafka;

import java.time.Instant;

/**
 * A tail's state, since when, and why when it failed or waits.
 *
 * @param reason      what Kafka (or the schema registry) said, for {@link TailState#FAILED} and
 *                    {@link TailState#WAITING_FOR_SCHEMA_REGISTRY}; null otherwise
 * @param failure     for {@link TailState#FAILED}: what stopped the tail, in one word a client may be told; null
 *                    otherwise
 * @param nextAttempt for {@link TailState#FAILED} on a refusal: when the tail tries Kafka again; null otherwise
 */
public record TailStatus(TailState state, Instant since, String reason, Failure failure, Instant nextAttempt) {

    /** A status that is not {@link TailState#FAILED}. */
    public TailStatus(TailState state, Instant since, String reason) {
        this(state, since, reason, null, null);
    }

    /** This status with {@code next} as its next attempt. */
    TailStatus nextAttemptAt(Instant next) {
        return new TailStatus(state, since, reason, failure, next);
    }

    /** What stopped a failed tail. */
    public enum Failure {
        /** Kafka refused the bridge's credentials. */
        AUTHENTICATION("authentication"),
        /** Kafka does not let the bridge read (or describe) the topic. */
        AUTHORIZATION("authorization"),
        /** Anything else the tail could not go on after (a bug). */
        ERROR("error");

        private final String label;

        Failure(String label) {
            this.label = label;
        }

        /** The word used in status reasons and problem responses. */
        public String label() {
            return label;
        }
    }
}
