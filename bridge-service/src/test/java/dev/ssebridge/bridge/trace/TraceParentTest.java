package dev.ssebridge.bridge.trace;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The W3C Trace Context rules for {@code traceparent}, as a producer's header is held to them. */
class TraceParentTest {

    private static final String VALID = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    @Test
    void aValidHeaderIsReadAndWrittenBackTheSame() {
        TraceParent parent = TraceParent.parse(VALID);
        assertThat(parent).isNotNull();
        assertThat(parent.traceId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
        assertThat(parent.parentId()).isEqualTo("00f067aa0ba902b7");
        assertThat(parent.sampled()).isTrue();
        assertThat(parent.header()).isEqualTo(VALID);
        assertThat(TraceParent.parse(VALID.replace("-01", "-00")).sampled()).isFalse();
        assertThat(TraceParent.parse(VALID.replace("-01", "-03")).sampled()).isTrue();
    }

    @Test
    void aLaterVersionMayCarryMoreAfterTheFlagsWhichIsDropped() {
        TraceParent parent = TraceParent.parse("cc" + VALID.substring(2) + "-what-the-future-holds");
        assertThat(parent).isNotNull();
        assertThat(parent.header()).isEqualTo(VALID);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "",
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-0", // short
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-", // version 00 is exactly 55 characters
        "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", // version ff is invalid
        "00-00000000000000000000000000000000-00f067aa0ba902b7-01", // all-zero trace id
        "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01", // all-zero parent id
        "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01", // upper case
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-0g", // not hex
        "00_4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", // separator
        "cc-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01x", // later version: more must follow a dash
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01\",\"x\":\"" // would break out of the envelope
    })
    void anythingElseIsNotATraceContext(String value) {
        assertThat(TraceParent.parse(value)).isNull();
    }
}
