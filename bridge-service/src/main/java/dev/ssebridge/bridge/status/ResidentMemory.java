package dev.ssebridge.bridge.status;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The process's resident memory ({@code process.memory.resident}, bytes): what the kernel counts against a
 * container's memory limit, heap and everything outside it (thread stacks, direct buffers, code). The JVM's
 * own metrics cover the heap and its pools only, and idle connections cost memory outside the heap too.
 * Read from {@code /proc/self/status} at scrape time; NaN where there is no such file (not Linux).
 */
final class ResidentMemory implements MeterBinder {

    private static final Path STATUS = Path.of("/proc/self/status");

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("process.memory.resident", this, ResidentMemory::read)
                .description("Resident set size of the bridge process (VmRSS)").baseUnit("bytes")
                .register(registry);
    }

    private double read() {
        try {
            return residentBytes(Files.readAllLines(STATUS));
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    /** The {@code VmRSS:} line of a {@code /proc/<pid>/status} text in bytes (the kernel writes kB), or NaN. */
    static double residentBytes(List<String> status) {
        for (String line : status) {
            if (line.startsWith("VmRSS:")) {
                String[] value = line.substring("VmRSS:".length()).trim().split("\\s+");
                return Long.parseLong(value[0]) * 1024.0;
            }
        }
        return Double.NaN;
    }
}
