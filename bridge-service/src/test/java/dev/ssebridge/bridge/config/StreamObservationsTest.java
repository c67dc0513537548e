package dev.ssebridge.bridge.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StreamObservationsTest {

    @Test
    void streamsAreNotObservedEverythingElseIs() {
        assertThat(StreamObservations.isStream("/api/v1/sse/training")).isTrue();
        assertThat(StreamObservations.isStream("/api/v1/sse/stream")).isTrue();
        assertThat(StreamObservations.isStream("/api/v1/sse/status")).isFalse();
        assertThat(StreamObservations.isStream("/api/v1/sse/history/training")).isFalse();
        assertThat(StreamObservations.isStream("/actuator/health")).isFalse();
        assertThat(StreamObservations.isStream("/api/v1/sse/")).isFalse();
    }
}
