package dev.ssebridge.bridge.stream;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StreamPathsTest {

    @Test
    void streamsAreNotObservedEverythingElseIs() {
        assertThat(StreamPaths.isStream("/api/v1/sse/training")).isTrue();
        assertThat(StreamPaths.isStream("/api/v1/sse/stream")).isTrue();
        assertThat(StreamPaths.isStream("/api/v1/sse/status")).isFalse();
        assertThat(StreamPaths.isStream("/api/v1/sse/history/training")).isFalse();
        assertThat(StreamPaths.isStream("/actuator/health")).isFalse();
        assertThat(StreamPaths.isStream("/api/v1/sse/")).isFalse();
    }
}
