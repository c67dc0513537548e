package dev.ssebridge.bridge.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RefusalBackoffTest {

    @Test
    void doublesFromTheFirstWaitUpToTheLongest() {
        RefusalBackoff backoff = new RefusalBackoff(Duration.ofSeconds(30), Duration.ofMinutes(10));
        assertThat(backoff.after(1)).isEqualTo(Duration.ofSeconds(30));
        assertThat(backoff.after(2)).isEqualTo(Duration.ofSeconds(60));
        assertThat(backoff.after(5)).isEqualTo(Duration.ofMinutes(8));
        assertThat(backoff.after(6)).isEqualTo(Duration.ofMinutes(10));
        assertThat(backoff.after(Integer.MAX_VALUE)).isEqualTo(Duration.ofMinutes(10));
    }

    @Test
    void aFixedIntervalWhenBothAreEqual() {
        RefusalBackoff backoff = new RefusalBackoff(Duration.ofSeconds(2), Duration.ofSeconds(2));
        assertThat(backoff.after(1)).isEqualTo(Duration.ofSeconds(2));
        assertThat(backoff.after(40)).isEqualTo(Duration.ofSeconds(2));
    }
}
