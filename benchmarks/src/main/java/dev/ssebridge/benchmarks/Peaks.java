package dev.ssebridge.benchmarks;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The bridge's highest RSS and heap in use, sampled every 250 ms until stopped: a peak falls between the readings
 * a scenario takes before and after, so it is watched from a thread of its own. Read the peaks after {@link #stop()}.
 */
final class Peaks {

    private final AtomicLong rssKb = new AtomicLong();
    private final AtomicLong heapBytes = new AtomicLong();
    private final Thread sampler;

    Peaks(BridgeProbe probe) {
        sampler = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                rssKb.accumulateAndGet(probe.rssKb(), Math::max);
                heapBytes.accumulateAndGet((long) probe.heapInUseBytes(), Math::max);
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(250));
            }
        }, "peaks");
        sampler.setDaemon(true);
        sampler.start();
    }

    void stop() throws InterruptedException {
        sampler.interrupt();
        sampler.join();
    }

    long rssKb() {
        return rssKb.get();
    }

    long heapBytes() {
        return heapBytes.get();
    }
}
