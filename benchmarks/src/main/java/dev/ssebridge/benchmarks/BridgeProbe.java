package dev.ssebridge.benchmarks;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the bridge process costs, read from outside: RSS and CPU time from {@code /proc/<pid>}, its own
 * Prometheus metrics over HTTP, and a full GC on request ({@code jcmd}) before heap readings.
 */
final class BridgeProbe {

    private final String baseUrl;
    private final long pid;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    BridgeProbe(String baseUrl, long pid) {
        this.baseUrl = baseUrl;
        this.pid = pid;
    }

    boolean hasPid() {
        return pid > 0;
    }

    /**
     * Whether the server is a JVM. jcmd attaches by sending SIGQUIT, which ends any other process (KafkaSSE's
     * node), so it is only ever pointed at a JVM.
     */
    boolean isJvm() {
        if (!hasPid()) {
            return false;
        }
        try {
            String command = Files.readString(Path.of("/proc", Long.toString(pid), "cmdline"));
            int end = command.indexOf('\0');
            return (end < 0 ? command : command.substring(0, end)).endsWith("java");
        } catch (IOException e) {
            return false;
        }
    }

    /** Resident set size in KiB, or -1 without a pid. */
    long rssKb() {
        return procStatus("VmRSS:");
    }

    /** The server's threads now, or -1 without a pid. */
    long threads() {
        return procStatus("Threads:");
    }

    /** A number of {@code /proc/<pid>/status}, by its line's name; -1 without a pid. */
    private long procStatus(String name) {
        if (!hasPid()) {
            return -1;
        }
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith(name)) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException e) {
            return -1;
        }
        return -1;
    }

    /**
     * The whole machine's CPU time from {@code /proc/stat} in clock ticks, summed over cores:
     * {busy, total}; or null where there is no {@code /proc}. Shows when the cores, not the bridge, are the limit.
     */
    static long[] machineTicks() {
        try {
            String[] fields = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long total = 0;
            for (int i = 1; i < fields.length; i++) {
                total += Long.parseLong(fields[i]);
            }
            long idle = Long.parseLong(fields[4]) + Long.parseLong(fields[5]); // idle + iowait
            return new long[] {total - idle, total};
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** User + system CPU time of the process in clock ticks (normally 1/100 s), or -1. */
    long cpuTicks() {
        if (!hasPid()) {
            return -1;
        }
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        } catch (IOException e) {
            return -1;
        }
    }

    void fullGc() {
        if (!isJvm()) {
            return;
        }
        try {
            new ProcessBuilder("jcmd", Long.toString(pid), "GC.run").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
        } catch (IOException e) {
            // jcmd missing: heap figures are then after whatever GC happened
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Heap in use in KiB as the JVM reports it ({@code jcmd GC.heap_info}, right after {@link #fullGc()}),
     * or -1 where the server is not a JVM. Read from outside so that any JVM server can be measured alike.
     */
    long heapUsedKb() {
        if (!isJvm()) {
            return -1;
        }
        try {
            Process jcmd = new ProcessBuilder("jcmd", Long.toString(pid), "GC.heap_info").redirectErrorStream(true).start();
            String out = new String(jcmd.getInputStream().readAllBytes());
            jcmd.waitFor();
            Matcher used = Pattern.compile("total \\d+K, used (\\d+)K").matcher(out);
            return used.find() ? Long.parseLong(used.group(1)) : -1;
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /**
     * Seconds the server's JIT compilers have spent so far ({@code jstat -compiler}, which reads the JVM's
     * performance counters without attaching), or -1 where the server is not a JVM. A figure taken while
     * the JIT still compiles the path it measures is a fresh JVM's, not a running server's.
     */
    double jitSeconds() {
        if (!isJvm()) {
            return -1;
        }
        try {
            Process jstat = new ProcessBuilder("jstat", "-compiler", Long.toString(pid)).redirectErrorStream(true).start();
            String[] lines = new String(jstat.getInputStream().readAllBytes()).strip().split("\n");
            jstat.waitFor();
            if (lines.length < 2) {
                return -1;
            }
            // Compiled Failed Invalid Time FailedType FailedMethod
            String[] columns = lines[1].trim().split("\\s+");
            return columns.length < 4 ? -1 : Double.parseDouble(columns[3]);
        } catch (IOException | NumberFormatException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** Heap in use now, garbage included, in bytes, from the bridge's own metrics. */
    double heapInUseBytes() {
        return metric("jvm_memory_used_bytes", "area=\"heap\"");
    }

    /** Sum of the Prometheus samples of {@code name} whose labels contain {@code labelPart}. */
    double metric(String name, String labelPart) {
        return metrics(name, labelPart)[0];
    }

    /** Per label part, as {@link #metric}, from one scrape. */
    double[] metrics(String name, String... labelParts) {
        return sums(get("/actuator/prometheus"), name, labelParts);
    }

    /** Per label part, the sum of the samples of {@code name} in Prometheus text {@code body}. */
    static double[] sums(String body, String name, String... labelParts) {
        double[] sums = new double[labelParts.length];
        for (String line : body.split("\n")) {
            if (line.startsWith(name) && (line.length() == name.length() || line.charAt(name.length()) == '{'
                    || line.charAt(name.length()) == ' ')) {
                for (int i = 0; i < labelParts.length; i++) {
                    if (line.contains(labelParts[i])) {
                        sums[i] += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                    }
                }
            }
        }
        return sums;
    }

    String get(String path) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(baseUrl + path))
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
            return response.body();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + path + " from the bridge", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
