package dev.ssebridge.bridge.stream;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@code Accept-Encoding} as RFC 9110 §12.5.3 reads it, for gzip. */
class StreamCompressionTest {

    @Test
    void gzipIsAcceptedWhenNamedOrCoveredByAStarAndNotRefused() {
        assertThat(StreamCompression.acceptsGzip("gzip, deflate, br, zstd")).isTrue();
        assertThat(StreamCompression.acceptsGzip("GZIP;q=0.5")).isTrue();
        assertThat(StreamCompression.acceptsGzip("x-gzip")).isTrue();
        assertThat(StreamCompression.acceptsGzip("br, *;q=0.1")).isTrue();

        assertThat(StreamCompression.acceptsGzip(null)).isFalse();
        assertThat(StreamCompression.acceptsGzip("identity")).isFalse();
        assertThat(StreamCompression.acceptsGzip("br, deflate")).isFalse();
        assertThat(StreamCompression.acceptsGzip("gzip;q=0")).isFalse();
        assertThat(StreamCompression.acceptsGzip("gzip;q=0, *")).as("refused by name, whatever * says").isFalse();
        assertThat(StreamCompression.acceptsGzip("*;q=0")).isFalse();
        assertThat(StreamCompression.acceptsGzip("gzip;q=abc")).isFalse();
    }
}
