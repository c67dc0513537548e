package dev.ssebridge.benchmarks;

import java.time.Instant;

/** Wall-clock microseconds: the producer and the load generator share the machine's clock. */
final class Clocks {

    private Clocks() {
    }

    static long nowMicros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    }
}
