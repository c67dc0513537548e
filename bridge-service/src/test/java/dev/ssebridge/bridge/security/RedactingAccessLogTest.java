package dev.ssebridge.bridge.security;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RedactingAccessLogTest {

    @Test
    void tokenValuesAreReplacedWhereverTheyAre() {
        assertThat(RedactingAccessLog.redact("/api/v1/sse/training?access_token=abc.def.ghi"))
                .isEqualTo("/api/v1/sse/training?access_token=[redacted]");
        assertThat(RedactingAccessLog.redact("/api/v1/sse/stream?channels=a,b&ACCESS_TOKEN=x.y.z&client_id=c"))
                .isEqualTo("/api/v1/sse/stream?channels=a,b&ACCESS_TOKEN=[redacted]&client_id=c");
        assertThat(RedactingAccessLog.redact("/api/v1/sse/training?my_access_token=keep"))
                .isEqualTo("/api/v1/sse/training?my_access_token=keep");
        assertThat(RedactingAccessLog.redact("/api/v1/sse/training")).isEqualTo("/api/v1/sse/training");
    }
}
