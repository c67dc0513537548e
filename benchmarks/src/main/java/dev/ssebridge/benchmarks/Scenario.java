package dev.ssebridge.benchmarks;

/** One benchmark scenario (see benchmarks/README.md): runs once against a running server and prints its figures. */
interface Scenario {

    /** @return false when an event was lost, or a check failed: the benchmark then exits with status 1 */
    boolean run() throws Exception;
}
