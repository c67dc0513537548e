package dev.ssebridge.benchmarks;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Issue 29's benchmark: N streams held open at R events/s, a newcomer from another address opening streams again
 * and again ({@link FirstRecordProbe}), measured once without and once beside a flood of half-written requests from a
 * third address ({@link HalfWrittenFlood}, {@code --flood-rate} connections a second). Reports the streams' latency
 * and the newcomer's time to its first record in each, and what became of the flood.
 */
record FloodScenario(Options options, BridgeProbe probe) implements Scenario {

    @Override
    public boolean run() throws Exception {
        int port = URI.create(options.text("bridge")).getPort();
        String path = options.path();
        try (Fleet fleet = Fleet.open(options);
             BenchProducer producer = new BenchProducer(options, false)) {
            int rate = options.integer("rate");
            Step.warmUp(fleet.stats(), producer, fleet.clients().size(), rate, options.duration("warmup"));
            Step before;
            String newcomerBefore;
            try (FirstRecordProbe newcomer = FirstRecordProbe.start("127.0.0.2", port, path)) {
                before = Step.measure(fleet, producer, rate, options.duration("duration"), probe);
                newcomerBefore = newcomer.takeDescription();
            }
            double[] refusedBefore = refused();
            Step during;
            String newcomerDuring;
            String flooded;
            try (HalfWrittenFlood flood = HalfWrittenFlood.start("127.0.0.3", port, options.integer("flood-rate"));
                 FirstRecordProbe newcomer = FirstRecordProbe.start("127.0.0.2", port, path)) {
                during = Step.measure(fleet, producer, rate, options.duration("duration"), probe);
                newcomerDuring = newcomer.takeDescription();
                flooded = flood.describe();
            }
            Map<String, Object> figures = new LinkedHashMap<>();
            figures.put("1 streams (before the flood)", before.line());
            figures.put("2 newcomer from 127.0.0.2 (before the flood)", newcomerBefore);
            figures.put("3 streams (during the flood)", during.line());
            figures.put("4 newcomer from 127.0.0.2 (during the flood)", newcomerDuring);
            figures.put("5 the flood", flooded);
            double[] refusedAfter = refused();
            StringBuilder refusals = new StringBuilder();
            for (int i = 0; i < REASONS.length; i++) {
                refusals.append(i == 0 ? "" : ", ").append(REASONS[i]).append(' ')
                        .append(String.format("%.0f", refusedAfter[i] - refusedBefore[i]));
            }
            figures.put("6 bridge: TCP connections refused or closed before HTTP, during the flood, by reason",
                    refusals.toString());
            Report.print("flood", figures);
            return before.lost() == 0 && during.lost() == 0 && before.afterSilence().clean()
                    && during.afterSilence().clean();
        }
    }

    /** The reasons the bridge's guard refuses or closes a connection before HTTP. */
    private static final String[] REASONS = {"address", "awaiting", "total", "header_timeout"};

    /** What the bridge's guard refused or closed so far, by {@link #REASONS} (its metric; 0 from another server). */
    private double[] refused() {
        String[] parts = new String[REASONS.length];
        for (int i = 0; i < parts.length; i++) {
            parts[i] = "reason=\"" + REASONS[i] + "\"";
        }
        return probe.metrics("ssebridge_tcp_connections_refused_total", parts);
    }
}
