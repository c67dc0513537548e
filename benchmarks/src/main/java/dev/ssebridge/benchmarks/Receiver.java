package dev.ssebridge.benchmarks;

/** One connection of a load generator, as the per-connection checks see it (see {@link AfterSilence}). */
interface Receiver {

    /** Benchmark records of sequence numbers {@code [first, end)} this connection has not received. */
    int missing(long first, long end);

    /** Latency of record {@code seq} if it is the highest this connection received, else -1 (microseconds). */
    long latencyOfLast(long seq);
}
