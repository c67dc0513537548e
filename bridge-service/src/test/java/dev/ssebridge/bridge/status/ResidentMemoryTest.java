package dev.ssebridge.bridge.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResidentMemoryTest {

    @Test
    void readsVmRssInBytes() {
        List<String> status = List.of("Name:\tjava", "VmPeak:\t 9000000 kB", "VmRSS:\t  524288 kB", "RssAnon:\t 1 kB");
        assertThat(ResidentMemory.residentBytes(status)).isEqualTo(524288 * 1024.0);
        assertThat(ResidentMemory.residentBytes(List.of("Name:\tjava"))).isNaN();
    }

    @Test
    void theGaugeReadsThisProcessWhereProcExists() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        new ResidentMemory().bindTo(registry);
        double resident = registry.get("process.memory.resident").gauge().value();
        if (Files.exists(Path.of("/proc/self/status"))) {
            assertThat(resident).as("a running JVM holds tens of megabytes at least").isGreaterThan(10e6);
        } else {
            assertThat(resident).isNaN();
        }
    }
}
