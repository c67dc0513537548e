package dev.ssebridge.benchmarks;

import java.lang.management.ManagementFactory;

/**
 * CPU used over one measured stretch: by the bridge (from {@code /proc/<pid>}), by this load generator, and by
 * the whole machine, so that a figure shows whether the bridge or the cores were the limit. Percentages:
 * 100% is one core for the two processes, all cores for the machine; -1 where it could not be read. Also the
 * seconds the server's JIT compilers spent meanwhile: a figure taken while they still compile the path it
 * measures is a fresh JVM's, not a running server's (-1 where the server is not a JVM).
 */
record CpuUse(double bridge, double loadGenerator, double machine, double jitSeconds) {

    /** Starts measuring now; {@link Meter#stop()} gives the use since. */
    static Meter start(BridgeProbe probe) {
        return new Meter(probe);
    }

    String bridgeText() {
        return percent(bridge);
    }

    String loadGeneratorText() {
        return percent(loadGenerator);
    }

    String machineText() {
        return percent(machine);
    }

    String jitText() {
        return jitSeconds < 0 ? "n/a" : String.format("%.1f s", jitSeconds);
    }

    /** The bridge's CPU time per delivery over a stretch of {@code seconds}, in microseconds. */
    String bridgePerDelivery(double seconds, long delivered) {
        return bridge < 0 || delivered == 0 ? "n/a"
                : String.format("%.2f µs", bridge / 100 * seconds * 1e6 / delivered);
    }

    /** "bridge CPU x%, load generator CPU y%, server JIT z s". */
    String describe() {
        return "bridge CPU " + bridgeText() + ", load generator CPU " + loadGeneratorText() + ", server JIT " + jitText();
    }

    private static String percent(double value) {
        return value < 0 ? "n/a" : String.format("%.0f%%", value);
    }

    static final class Meter {
        private final BridgeProbe probe;
        private final double jit0;
        private final long bridge0;
        private final long self0;
        private final long[] machine0;
        private final long t0;

        private Meter(BridgeProbe probe) {
            this.probe = probe;
            // First, in the constructor rather than in field initializers (which run before it): jstat starts
            // a JVM, whose time and CPU must not fall inside the measured stretch.
            this.jit0 = probe.jitSeconds();
            this.bridge0 = probe.cpuTicks();
            this.self0 = selfNanos();
            this.machine0 = BridgeProbe.machineTicks();
            this.t0 = System.nanoTime();
        }

        CpuUse stop() {
            double seconds = (System.nanoTime() - t0) / 1e9;
            long bridge1 = probe.cpuTicks();
            long[] machine1 = BridgeProbe.machineTicks();
            // Process CPU time is in clock ticks of 1/100 s: ticks per second is a percentage of one core.
            double bridge = bridge0 < 0 || bridge1 < 0 ? -1 : (bridge1 - bridge0) / seconds;
            double self = (selfNanos() - self0) / 1e7 / seconds;
            double machine = machine0 == null || machine1 == null ? -1
                    : 100.0 * (machine1[0] - machine0[0]) / (machine1[1] - machine0[1]);
            double jit = jit0 < 0 ? -1 : probe.jitSeconds() - jit0;
            return new CpuUse(bridge, self, machine, jit);
        }

        /** CPU time of this process (the load generator), all threads. */
        private static long selfNanos() {
            return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                    .getProcessCpuTime();
        }
    }
}
