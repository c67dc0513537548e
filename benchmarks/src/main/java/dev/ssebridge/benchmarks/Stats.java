package dev.ssebridge.benchmarks;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/** Delivery counts and end-to-end latency (record send to client receipt) over all connections. */
final class Stats {

    private final Recorder latency = new Recorder(TimeUnit.SECONDS.toMicros(120), 3);
    private final LongAdder delivered = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private volatile boolean recording = true;

    void delivered(long sentMicros) {
        delivered.increment();
        if (recording && sentMicros > 0) {
            long micros = Clocks.nowMicros() - sentMicros;
            latency.recordValue(Math.max(0, Math.min(micros, TimeUnit.SECONDS.toMicros(120))));
        }
    }

    void error() {
        errors.increment();
    }

    long delivered() {
        return delivered.sum();
    }

    /** Waits until {@code target} deliveries have been counted; false if {@code timeout} passed first. */
    boolean awaitDelivered(long target, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (delivered() < target) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
        }
        return true;
    }

    long errors() {
        return errors.sum();
    }

    /** Latency recorded since the last call (microseconds). */
    Histogram takeLatency() {
        return latency.getIntervalHistogram();
    }

    void recording(boolean on) {
        recording = on;
    }

    static String describe(Histogram h) {
        if (h.getTotalCount() == 0) {
            return "no samples";
        }
        return String.format("p50 %s, p90 %s, p99 %s, p99.9 %s, max %s (%d samples)",
                ms(h.getValueAtPercentile(50)), ms(h.getValueAtPercentile(90)), ms(h.getValueAtPercentile(99)),
                ms(h.getValueAtPercentile(99.9)), ms(h.getMaxValue()), h.getTotalCount());
    }

    static String ms(long micros) {
        return String.format("%.2f ms", micros / 1000.0);
    }
}
