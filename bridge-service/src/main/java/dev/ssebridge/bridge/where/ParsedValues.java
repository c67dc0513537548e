package dev.ssebridge.bridge.where;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The bytes of the parsed values ({@link EventValue#tree()}) that one holder of events keeps alive: a channel's ring,
 * its state. A value is parsed lazily, on whichever loop thread first evaluates a {@code where} filter on it, long
 * after the holder took it; the value then charges every holder it is in ({@link EventValue#heldBy}), and each holder
 * adds this figure to its frames' bytes when it checks its {@code max-bytes} bound, and so evicts for it too.
 */
public final class ParsedValues {

    private final AtomicLong bytes = new AtomicLong();

    /** Any thread. */
    public long bytes() {
        return bytes.get();
    }

    void add(long delta) {
        bytes.addAndGet(delta);
    }
}
