package dev.ssebridge.bridge.hub;

import dev.ssebridge.bridge.frame.SkipReason;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * What one channel's hub has done, for status and metrics: records published and skipped (by reason), resumes
 * planned from the ring alone or with Kafka, snapshots served. LongAdders, read at scrape time, so counting costs
 * the tail and the request threads one add each and never the hub's lock.
 */
public final class HubCounters {

    private final LongAdder published = new LongAdder();
    private final Map<SkipReason, LongAdder> skipped = new EnumMap<>(SkipReason.class);
    private final LongAdder replaysFromRing = new LongAdder();
    private final LongAdder replaysFromKafka = new LongAdder();
    private final LongAdder snapshotsServed = new LongAdder();

    HubCounters() {
        for (SkipReason reason : SkipReason.values()) {
            skipped.put(reason, new LongAdder());
        }
    }

    void published() {
        published.increment();
    }

    void skipped(SkipReason reason) {
        skipped.get(reason).increment();
    }

    /** A resume planned: from memory alone, or needing a Kafka consumer for at least one partition. */
    void replayPlanned(boolean needsKafka) {
        (needsKafka ? replaysFromKafka : replaysFromRing).increment();
    }

    void snapshotServed() {
        snapshotsServed.increment();
    }

    /** Records published to the channel's subscribers. */
    public long publishedCount() {
        return published.sum();
    }

    /** Records that could not be delivered, for this reason. */
    public long skippedCount(SkipReason reason) {
        return skipped.get(reason).sum();
    }

    /** Resumes served from memory alone. */
    public long replaysFromRing() {
        return replaysFromRing.sum();
    }

    /** Resumes that needed a Kafka consumer for at least one partition. */
    public long replaysFromKafka() {
        return replaysFromKafka.sum();
    }

    /** Snapshots taken for joining connections. */
    public long snapshotsServed() {
        return snapshotsServed.sum();
    }
}
