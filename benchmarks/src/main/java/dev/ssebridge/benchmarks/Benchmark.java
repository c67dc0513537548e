package dev.ssebridge.benchmarks;

/**
 * The load generator's entry point: {@code <scenario> [--name value]...} (see benchmarks/README.md). Each scenario
 * is a class of its own and prints what it measured; one that loses events exits with status 1.
 */
public final class Benchmark {

    private Benchmark() {
    }

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        if (options.scenario().equals("soak")) {
            // The soak starts its own broker and bridge, and restarts them (benchmarks/soak.sh).
            System.exit(new SoakScenario(options).run() ? 0 : 1);
        }
        BridgeProbe probe = new BridgeProbe(options.text("bridge"), options.number("bridge-pid"));
        BenchProducer.createTopic(options.text("bootstrap"), options.text("topic"), 3);
        Scenario scenario = switch (options.scenario()) {
            case "idle" -> new IdleScenario(options, probe);
            case "broadcast" -> new BroadcastScenario(options, probe);
            case "fanout" -> new FanoutScenario(options, probe);
            case "storm" -> new StormScenario(options, probe);
            case "catchup" -> new CatchUpScenario(options, probe);
            case "slowreader" -> new SlowReaderScenario(options, probe);
            case "snapshot" -> new SnapshotScenario(options, probe);
            case "conflated" -> new ConflatedScenario(options, probe);
            case "kafka" -> new KafkaBaselineScenario(options);
            case "flood" -> new FloodScenario(options, probe);
            case "family" -> new FamilyScenario(options, probe);
            case "burst" -> new BurstScenario(options, probe);
            default -> throw new IllegalArgumentException("unknown scenario " + options.scenario());
        };
        System.exit(scenario.run() ? 0 : 1);
    }
}
