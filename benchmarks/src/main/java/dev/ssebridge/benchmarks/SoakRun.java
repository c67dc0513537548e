package dev.ssebridge.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * What the soak's clients share: its settings, its tokens, and what they report: deliveries and their latency
 * (taken per sampling interval), how streams ended and requests were refused, and every problem a check found.
 *
 * @param shortTokenLife how long a short-lived token lives
 * @param churnPeriod    how long a churning client keeps a connection, on average
 */
record SoakRun(int keys, Duration shortTokenLife, Duration churnPeriod, SoakTokens tokens, BooleanSupplier restarting,
               Problems problems, Counters counters, Recorder latency, LongAdder deliveries, Map<Long, Integer> values) {

    /** @param restarting whether the broker or the bridge is restarting (or just did) */
    static SoakRun of(int keys, Duration shortTokenLife, Duration churnPeriod, SoakTokens tokens,
                      BooleanSupplier restarting) {
        return new SoakRun(keys, shortTokenLife, churnPeriod, tokens, restarting, new Problems(), new Counters(),
                new Recorder(TimeUnit.SECONDS.toMicros(600), 3), new LongAdder(), new ConcurrentHashMap<>());
    }

    /**
     * Whether {@code record} ({@link SoakCursor#recordFrom}) carried the same data as it did to every client before:
     * the first delivery of a record sets what the others must match, so a record delivered with another's value (a
     * mix-up of positions, say) shows.
     */
    boolean sameData(long record, String data) {
        int hash = data.hashCode();
        return values.computeIfAbsent(record, r -> hash) == hash;
    }

    /**
     * A channel event arrived; {@code sentMicros} is the record's send time for the timestamped channel, else -1.
     *
     * @param live whether the latency counts: a live delivery to a client that neither holds values ({@code max_rate})
     *             nor reads slowly, on a connection open for a few seconds (not a replay of what a resume missed,
     *             whose age is the time the client was away)
     */
    void delivered(long sentMicros, boolean live) {
        deliveries.increment();
        if (sentMicros > 0 && live) {
            latency.recordValue(Math.max(0, Math.min(Clocks.nowMicros() - sentMicros, TimeUnit.SECONDS.toMicros(600))));
        }
    }

    /** The latency of the deliveries since the last call. */
    Histogram takeLatency() {
        return latency.getIntervalHistogram();
    }

    /** Problems the checks found: all counted, the first few hundred kept word for word. */
    static final class Problems {
        private static final int KEPT = 300;
        private final List<String> kept = new ArrayList<>();
        private final AtomicLong count = new AtomicLong();

        void add(String what) {
            if (count.incrementAndGet() <= 20) {
                System.out.println("soak problem: " + what); // the first ones as they happen, for whoever watches
            }
            synchronized (kept) {
                if (kept.size() < KEPT) {
                    kept.add(Clocks.nowMicros() / 1000 + " " + what);
                }
            }
        }

        long count() {
            return count.get();
        }

        List<String> kept() {
            synchronized (kept) {
                return List.copyOf(kept);
            }
        }
    }

    /** How streams ended and requests were refused, by reason and status; connections dropped by churn. */
    static final class Counters {
        private final Map<String, LongAdder> ends = new ConcurrentHashMap<>();
        private final Map<Integer, LongAdder> refusals = new ConcurrentHashMap<>();
        private final LongAdder dropped = new LongAdder();

        void ended(String reason) {
            ends.computeIfAbsent(reason, r -> new LongAdder()).increment();
        }

        void refused(int status) {
            refusals.computeIfAbsent(status, s -> new LongAdder()).increment();
        }

        void dropped() {
            dropped.increment();
        }

        long droppedCount() {
            return dropped.sum();
        }

        Map<String, Long> ends() {
            Map<String, Long> copy = new TreeMap<>();
            ends.forEach((k, v) -> copy.put(k, v.sum()));
            return copy;
        }

        Map<Integer, Long> refusals() {
            Map<Integer, Long> copy = new TreeMap<>();
            refusals.forEach((k, v) -> copy.put(k, v.sum()));
            return copy;
        }
    }
}
