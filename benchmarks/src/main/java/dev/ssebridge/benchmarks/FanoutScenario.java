package dev.ssebridge.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Steps the rate up with N clients until p99 passes {@code --max-p99-ms} or anything is lost or late: the last
 * sustainable step is the most this bridge delivers on this machine. Exits 0 whatever it finds: the figure is the
 * answer, not a pass or a fail.
 */
record FanoutScenario(Options options, BridgeProbe probe) implements Scenario {

    @Override
    public boolean run() {
        double maxP99 = options.integer("max-p99-ms") * 1000.0;
        List<Step> steps = new ArrayList<>();
        try (Fleet fleet = Fleet.open(options);
             BenchProducer producer = new BenchProducer(options, false)) {
            Step.warmUp(fleet.stats(), producer, fleet.clients().size(), options.integers("rates").get(0),
                    options.duration("warmup"));
            for (int rate : options.integers("rates")) {
                Step step = Step.measure(fleet, producer, rate, options.duration("duration"), probe);
                steps.add(step);
                System.out.println("  " + step.line());
                if (!sustainable(step, maxP99)) {
                    break;
                }
            }
        }
        Step best = null;
        for (Step s : steps) {
            if (sustainable(s, maxP99)) {
                best = s;
            }
        }
        Report.print("fanout", Map.of("clients", options.integer("clients"),
                "last sustainable step", best == null ? "none" : best.line(),
                "sustainable deliveries/s", best == null ? 0 : String.format("%.0f", best.deliveriesPerSecond())));
        return true;
    }

    /** Nothing lost, nothing late after silence, p99 within the bound (microseconds). */
    private static boolean sustainable(Step step, double maxP99) {
        return step.lost() == 0 && step.afterSilence().clean() && step.latency().getValueAtPercentile(99) <= maxP99;
    }
}
