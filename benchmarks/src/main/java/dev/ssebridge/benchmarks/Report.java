package dev.ssebridge.benchmarks;

import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * How every scenario prints what it measured: a Markdown table under a heading, figures sorted by name, so
 * that results paste into RESULTS.md and two runs compare line by line.
 */
final class Report {

    private Report() {
    }

    static void print(String scenario, Map<String, ?> figures) {
        System.out.println("## " + scenario + " (" + Instant.now() + ")");
        System.out.println("| figure | value |");
        System.out.println("|---|---|");
        new TreeMap<>(figures).forEach((k, v) -> System.out.println("| " + k + " | " + v + " |"));
        System.out.flush();
    }

    static String mb(long bytes) {
        return String.format("%.1f MB", bytes / 1048576.0);
    }
}
