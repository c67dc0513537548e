package dev.ssebridge.benchmarks;

/** N clients on one channel at R events/s for a duration, then silence. */
record BroadcastScenario(Options options, BridgeProbe probe) implements Scenario {

    @Override
    public boolean run() {
        try (Fleet fleet = Fleet.open(options);
             BenchProducer producer = new BenchProducer(options, false)) {
            Step.warmUp(fleet.stats(), producer, fleet.clients().size(), options.integer("rate"), options.duration("warmup"));
            double evaluations = probe.metric("ssebridge_policy_evaluations_total", "");
            Step step = Step.measure(fleet, producer, options.integer("rate"), options.duration("duration"), probe);
            java.util.Map<String, Object> figures = step.asMap();
            if (options.integer("claim-sets") > 0) {
                // Once per record per claim set is the design; more means evaluations the verdict cache missed.
                figures.put("policy evaluations per record (claim sets: " + options.integer("claim-sets") + ")",
                        String.format("%.2f", (probe.metric("ssebridge_policy_evaluations_total", "") - evaluations)
                                / step.events()));
            }
            Report.print("broadcast", figures);
            return step.lost() == 0 && step.afterSilence().clean();
        }
    }
}
