package dev.ssebridge.benchmarks;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * What every connection holds once the producer has fallen silent: a record still missing then can only be
 * pushed out by later traffic, and a figure taken while traffic flows never shows it. Checked per connection
 * at {@link #BOUND} after the last record was sent (late, if it arrives afterwards) and again after
 * {@link #GRACE} (missing, if it never does), with the latency of each connection's last record.
 *
 * @param missingAtBound      deliveries of the step's records not there {@link #BOUND} after the last was sent
 * @param connectionsAtBound  connections those were missing on
 * @param late                of those, deliveries that arrived later, within {@link #GRACE}
 * @param missing             deliveries that never arrived within {@link #GRACE}
 * @param lastRecordLatency   per connection that got it, the last record's latency (send to receipt, microseconds)
 * @param lastRecordMissing   connections that never got the last record
 */
record AfterSilence(long missingAtBound, long connectionsAtBound, long late, long missing,
                    Histogram lastRecordLatency, long lastRecordMissing) {

    static final Duration BOUND = Duration.ofSeconds(2);
    static final Duration GRACE = Duration.ofSeconds(30);

    /**
     * Waits for records {@code [first, end)} on every client, the producer having sent the last at
     * {@code silentSince} ({@link System#nanoTime()}).
     */
    static AfterSilence check(List<? extends Receiver> clients, long first, long end, long silentSince) {
        awaitAll(clients, first, end, silentSince + BOUND.toNanos());
        long missingAtBound = 0;
        long connectionsAtBound = 0;
        for (Receiver client : clients) {
            int missing = client.missing(first, end);
            missingAtBound += missing;
            connectionsAtBound += missing > 0 ? 1 : 0;
        }
        long missing = missingAtBound;
        if (missingAtBound > 0) {
            awaitAll(clients, first, end, silentSince + GRACE.toNanos());
            missing = clients.stream().mapToLong(c -> c.missing(first, end)).sum();
        }
        Histogram latency = new Histogram(TimeUnit.SECONDS.toMicros(120), 3);
        long lastMissing = 0;
        for (Receiver client : clients) {
            long micros = client.latencyOfLast(end - 1);
            if (micros < 0) {
                lastMissing++;
            } else {
                latency.recordValue(Math.min(micros, TimeUnit.SECONDS.toMicros(120)));
            }
        }
        return new AfterSilence(missingAtBound, connectionsAtBound, missingAtBound - missing, missing, latency,
                lastMissing);
    }

    private static void awaitAll(List<? extends Receiver> clients, long first, long end, long deadline) {
        int from = 0; // clients before this one had everything at the last look
        while (System.nanoTime() < deadline) {
            while (from < clients.size() && clients.get(from).missing(first, end) == 0) {
                from++;
            }
            if (from == clients.size()) {
                return;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
    }

    boolean clean() {
        return missingAtBound == 0;
    }

    String describe() {
        return String.format("%d missing %d s after the last record (on %d connections): %d of them late, %d never "
                        + "arrived within %d s; last record, per connection: %s%s",
                missingAtBound, BOUND.toSeconds(), connectionsAtBound, late, missing, GRACE.toSeconds(),
                Stats.describe(lastRecordLatency), lastRecordMissing == 0 ? "" : ", missing on " + lastRecordMissing);
    }
}
