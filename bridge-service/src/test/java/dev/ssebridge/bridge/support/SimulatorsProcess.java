package dev.ssebridge.bridge.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The simulators as users run them: their executable jar in a JVM of its own, writing to a given broker.
 * The jar is the one the build just made (system property {@code simulators.jar}, set by the failsafe
 * configuration; the simulators module builds before this one). Its output goes to a file beside the
 * test reports.
 */
public final class SimulatorsProcess implements AutoCloseable {

    private final Process process;
    private final Path log;

    private SimulatorsProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** Starts the simulators with {@code settings} as {@code --key=value} arguments. */
    public static SimulatorsProcess start(Map<String, String> settings, Path log) {
        String path = System.getProperty("simulators.jar");
        if (path == null || !Files.isRegularFile(Path.of(path))) {
            throw new IllegalStateException("No simulators jar at " + path + " (system property simulators.jar, set by "
                    + "the failsafe configuration): build it first (./mvnw -pl simulators package -DskipTests)");
        }
        Path jar = Path.of(path);
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.add("-Xmx256m");
        command.add("-jar");
        command.add(jar.toString());
        settings.forEach((key, value) -> command.add("--" + key + "=" + value));
        try {
            Files.createDirectories(log.toAbsolutePath().getParent());
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            return new SimulatorsProcess(process, log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Its output so far, to explain a failure. */
    public String output() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no output: " + e + ")";
        }
    }

    /**
     * Stops it as an operator would (SIGTERM): Spring closes the producer, which sends what it holds.
     * Returns once the process has exited.
     */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new IllegalStateException("The simulators did not stop within 60 s:\n" + output());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
