package dev.ssebridge.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The soak's report (report.md): what ran, what happened to the clients, each sampled figure's trend over each life
 * of the bridge after its warm-up, and the verdict: nothing lost, repeated or stalled; memory, threads and
 * descriptors flat; every stream closed at the end.
 */
final class SoakReport {

    /** A stretch of the run shorter than this after warm-up is too short to judge a trend on. */
    private static final double JUDGED_SECONDS = 600;

    private final Options options;
    private final Duration duration;
    private final List<SoakSampler.Sample> samples;
    private final Map<Double, String> events;
    private final SoakRun run;
    private final List<SoakClient> clients;
    private final Map<String, Long> hostiles;
    private final String halfWritten;
    private final String caughtUp;
    private final String leftOpen;
    private final long baselineThreads;
    private final long endThreads;
    private final List<String> verdict = new ArrayList<>();
    private boolean passed = true;

    SoakReport(Options options, Duration duration, List<SoakSampler.Sample> samples, Map<Double, String> events,
               SoakRun run, List<SoakClient> clients, Map<String, Long> hostiles, String halfWritten, String caughtUp,
               String leftOpen, long baselineThreads, long endThreads) {
        this.options = options;
        this.duration = duration;
        this.samples = samples;
        this.events = events;
        this.run = run;
        this.clients = clients;
        this.hostiles = hostiles;
        this.halfWritten = halfWritten;
        this.caughtUp = caughtUp;
        this.leftOpen = leftOpen;
        this.baselineThreads = baselineThreads;
        this.endThreads = endThreads;
    }

    boolean passed() {
        return passed;
    }

    String markdown() {
        StringBuilder out = new StringBuilder("# Soak: " + duration + ", " + clients.size() + " clients\n\n");
        out.append(String.format(Locale.ROOT, "Timestamped topic at %s records/s over %s keys, the simulators at demo "
                        + "rates; short tokens live %s; churning clients hold a connection %s on average; hostile "
                        + "requests at %s/s, a flood of %s stream requests from one address every %s s, half-written "
                        + "requests at %s/s; freshness bound %s. Events: %s.%n%n", options.text("rate"),
                options.text("keys"), options.text("token-life"), options.text("churn-period"),
                options.text("hostile-rate"), options.text("flood-size"), options.text("flood-every"),
                options.text("half-written-rate"), options.text("fresh-within"), eventsText()));
        clientsTable(out);
        out.append("\n## What happened\n\n| | |\n|---|---|\n");
        row(out, "deliveries", String.format(Locale.ROOT, "%,d", run.deliveries().sum()));
        row(out, "connections opened by the clients", String.format(Locale.ROOT, "%,d",
                clients.stream().mapToLong(SoakClient::connections).sum()));
        row(out, "connections the churning clients dropped", String.format(Locale.ROOT, "%,d",
                run.counters().droppedCount()));
        row(out, "streams the bridge ended, by reason", run.counters().ends().toString());
        row(out, "requests of the clients refused, by status", run.counters().refusals().toString());
        row(out, "hostile requests, by outcome", hostiles.toString());
        row(out, "half-written requests", halfWritten);
        row(out, "latency of the timestamped records, per 10 s: median of p99, worst p99, worst max",
                latencySummary());
        row(out, "final catch-up", caughtUp);
        row(out, "after every client left", leftOpen + "; bridge threads " + endThreads + " (" + baselineThreads
                + " when it first started, before any client)");
        trends(out);
        judge();
        out.append("\n## Verdict: ").append(passed ? "PASSED" : "FAILED").append("\n\n");
        verdict.forEach(line -> out.append("- ").append(line).append('\n'));
        List<String> problems = run.problems().kept();
        out.append("\n## Problems: ").append(run.problems().count()).append("\n\n");
        problems.stream().limit(40).forEach(p -> out.append("- ").append(p).append('\n'));
        if (problems.size() > 40) {
            out.append("- ... (").append(run.problems().count() - 40).append(" more)\n");
        }
        out.append("\nCharts: soak-memory.png, soak-resources.png, soak-throughput.png, soak-latency.png; every sample"
                + " in samples.csv.\n");
        return out.toString();
    }

    private void clientsTable(StringBuilder out) {
        Map<String, long[]> byKind = new TreeMap<>();
        for (SoakClient client : clients) {
            long[] figures = byKind.computeIfAbsent(client.kind().name(), k -> new long[3]);
            figures[0]++;
            figures[1] += client.connections();
            figures[2] += client.received();
        }
        out.append("| client kind | clients | connections | events received |\n|---|---|---|---|\n");
        byKind.forEach((kind, f) -> out.append(String.format(Locale.ROOT, "| %s | %d | %,d | %,d |%n", kind, f[0],
                f[1], f[2])));
    }

    /** Each life of the bridge (split at its restart), after warm-up: every figure's trend. */
    private void trends(StringBuilder out) {
        out.append("\n## Trends, after warm-up (").append(options.text("warmup"))
                .append("), per life of the bridge\n\n| life | figure | first | last | mean | slope per hour | samples |"
                        + "\n|---|---|---|---|---|---|---|\n");
        for (double[] life : lives()) {
            for (SoakPlots.Figure figure : trendFigures()) {
                SoakPlots.Trend t = SoakPlots.trend(figure, within(life), life[0]);
                if (t.samples() == 0) {
                    continue;
                }
                out.append(String.format(Locale.ROOT, "| %.0f-%.0f min | %s | %.1f | %.1f | %.1f | %+.1f | %d |%n",
                        life[0] / 60, life[1] / 60, t.figure(), t.first(), t.last(), t.mean(), t.perHour(),
                        t.samples()));
            }
        }
    }

    private static List<SoakPlots.Figure> trendFigures() {
        List<SoakPlots.Figure> figures = new ArrayList<>(SoakPlots.MEMORY);
        figures.add(SoakPlots.RESOURCES.get(0));
        figures.add(SoakPlots.RESOURCES.get(1));
        return figures;
    }

    /** [from, to] seconds of each life of the bridge, from its warm-up's end. */
    private List<double[]> lives() {
        double warmup = options.duration("warmup").toSeconds();
        double end = samples.isEmpty() ? 0 : samples.get(samples.size() - 1).seconds();
        List<double[]> lives = new ArrayList<>();
        double from = warmup;
        for (Map.Entry<Double, String> event : events.entrySet()) {
            if (event.getValue().equals("bridge stopped") || event.getValue().equals("soak time over")) {
                lives.add(new double[] {from, event.getKey() * 60});
            } else if (event.getValue().equals("bridge started")) {
                from = event.getKey() * 60 + warmup;
            }
        }
        if (lives.isEmpty() || !events.containsValue("soak time over")) {
            lives.add(new double[] {from, end});
        }
        return lives;
    }

    private List<SoakSampler.Sample> within(double[] life) {
        return samples.stream().filter(s -> s.seconds() >= life[0] && s.seconds() <= life[1]).toList();
    }

    private void judge() {
        long problems = run.problems().count();
        check(problems == 0, problems == 0 ? "every client had every record it should, once and in order, and every"
                + " resume was exact; no stall; no hostile request got a 5xx or a 200" : problems + " problems (below)");
        long silent = samples.stream().filter(s -> s.pid() > 0 && s.deliveriesPerSecond() == 0 && !nearEvent(s))
                .count();
        check(silent == 0, silent == 0 ? "deliveries in every interval but those of the restarts"
                : silent + " intervals without a delivery, away from the restarts");
        check(leftOpen.startsWith("every stream closed, no replay consumer"), leftOpen);
        for (double[] life : lives()) {
            if (life[1] - life[0] < JUDGED_SECONDS) {
                verdict.add(String.format(Locale.ROOT, "%.0f-%.0f min: too short after warm-up to judge trends",
                        life[0] / 60, life[1] / 60));
                continue;
            }
            List<SoakSampler.Sample> stretch = within(life);
            double hours = (life[1] - life[0]) / 3600;
            flat(life, stretch, hours, SoakPlots.MEMORY.get(1), 0.10, 8);
            flat(life, stretch, hours, SoakPlots.MEMORY.get(0), 0.10, 32);
            flat(life, stretch, hours, SoakPlots.MEMORY.get(3), 0.25, 8);
            flat(life, stretch, hours, SoakPlots.RESOURCES.get(0), 0.05, 5);
            flat(life, stretch, hours, SoakPlots.RESOURCES.get(1), 0.05, 50);
        }
    }

    /**
     * Flat: the fitted line rises less over the stretch than {@code share} of the mean or {@code floor} (whichever
     * is larger): a figure that grows with time, however slowly, is what a leak looks like.
     */
    private void flat(double[] life, List<SoakSampler.Sample> stretch, double hours, SoakPlots.Figure figure,
                      double share, double floor) {
        SoakPlots.Trend t = SoakPlots.trend(figure, stretch, life[0]);
        if (t.samples() < 3) {
            verdict.add(String.format(Locale.ROOT, "%.0f-%.0f min, %s: not measured (%d samples)", life[0] / 60,
                    life[1] / 60, figure.name(), t.samples()));
            return;
        }
        double rise = t.perHour() * hours;
        double allowed = Math.max(share * t.mean(), floor);
        check(rise < allowed, String.format(Locale.ROOT, "%.0f-%.0f min, %s: %s (fitted rise %+.1f over the stretch,"
                + " allowed %.1f)", life[0] / 60, life[1] / 60, figure.name(), rise < allowed ? "flat" : "GROWING",
                rise, allowed));
    }

    /** Whether the sample's interval saw a restart, or followed one by less than 30 s (nothing flows then). */
    private boolean nearEvent(SoakSampler.Sample sample) {
        double interval = options.duration("sample-every").toSeconds();
        return events.keySet().stream().anyMatch(minute -> sample.seconds() >= minute * 60
                && sample.seconds() - interval - 30 <= minute * 60);
    }

    private void check(boolean ok, String what) {
        passed &= ok;
        verdict.add(what);
    }

    private String latencySummary() {
        List<Double> p99s = samples.stream().map(SoakSampler.Sample::p99Ms).filter(v -> v >= 0).sorted().toList();
        double worstMax = samples.stream().mapToDouble(SoakSampler.Sample::maxMs).max().orElse(-1);
        return p99s.isEmpty() ? "none" : String.format(Locale.ROOT, "%.0f ms, %.0f ms, %.0f ms (the worst around the"
                + " restarts, whose records wait for the broker or the bridge)", p99s.get(p99s.size() / 2),
                p99s.get(p99s.size() - 1), worstMax);
    }

    private String eventsText() {
        List<String> parts = new ArrayList<>();
        events.forEach((minute, what) -> parts.add(String.format(Locale.ROOT, "%s at %.1f min", what, minute)));
        return parts.isEmpty() ? "none" : String.join(", ", parts);
    }

    private static void row(StringBuilder out, String what, String value) {
        out.append("| ").append(what).append(" | ").append(value).append(" |\n");
    }
}
