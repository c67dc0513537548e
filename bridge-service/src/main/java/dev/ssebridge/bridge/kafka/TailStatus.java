package dev.ssebridge.bridge.kafka;

import java.time.Instant;

/**
 * A tail's state, since when, and why when it failed.
 *
 * @param reason what Kafka said, for {@link TailState#FAILED}; null otherwise
 */
public record TailStatus(TailState state, Instant since, String reason) {
}
