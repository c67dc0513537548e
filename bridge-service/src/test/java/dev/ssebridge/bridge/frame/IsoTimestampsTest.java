package dev.ssebridge.bridge.frame;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class IsoTimestampsTest {

    private final IsoTimestamps timestamps = new IsoTimestamps();

    @Test
    void writesWhatInstantWritesForRunsWithinASecondAndAcrossSeconds() {
        SplittableRandom random = new SplittableRandom(7);
        long millis = 1_764_000_000_000L;
        for (int i = 0; i < 100_000; i++) {
            millis += random.nextInt(3) == 0 ? random.nextLong(5_000) : random.nextInt(3);
            assertThat(text(millis)).isEqualTo(Instant.ofEpochMilli(millis).toString());
        }
    }

    @Test
    void wholeSecondsHaveNoFractionAndOldOrNegativeTimesAreExact() {
        for (long millis : new long[] {0, 1, 999, 1000, -1, -999, -1000, -1001, 1_764_000_000_000L, 1_764_000_000_007L,
                253_402_300_799_999L}) {
            assertThat(text(millis)).isEqualTo(Instant.ofEpochMilli(millis).toString());
        }
    }

    private String text(long millis) {
        return new String(timestamps.format(millis), StandardCharsets.US_ASCII);
    }
}
