package dev.ssebridge.benchmarks;

/** N clients on one channel at R events/s for a duration, then silence. */
record BroadcastScenario(Options options, BridgeProbe probe) implements Scenario {

    @Override
    public boolean run() {
        try (Fleet fleet = Fleet.open(options);
             BenchProducer producer = new BenchProducer(options, false)) {
            Step.warmUp(fleet.stats(), producer, fleet.clients().size(), options.integer("rate"), options.duration("warmup"));
            Step step = Step.measure(fleet, producer, options.integer("rate"), options.duration("duration"), probe);
            Report.print("broadcast", step.asMap());
            return step.lost() == 0 && step.afterSilence().clean();
        }
    }
}
