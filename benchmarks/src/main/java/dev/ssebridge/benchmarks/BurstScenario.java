package dev.ssebridge.benchmarks;

import java.time.Duration;
import java.util.Map;

/**
 * N clients that stay idle for {@code --hold} (longer than a ping interval: the keepalive's own writes happen
 * meanwhile), then a burst of {@code --rate} records within a second, then silence: the fan-out of a record to
 * every connection at once, from idle, with the per-connection check after silence.
 */
record BurstScenario(Options options, BridgeProbe probe) implements Scenario {

    @Override
    public boolean run() {
        try (Fleet fleet = Fleet.open(options);
             BenchProducer producer = new BenchProducer(options, false)) {
            Step.warmUp(fleet.stats(), producer, fleet.clients().size(), options.integer("rate"), options.duration("warmup"));
            Duration hold = options.duration("hold");
            System.out.println("holding " + fleet.clients().size() + " idle streams for " + hold);
            sleep(hold);
            Step step = Step.measure(fleet, producer, options.integer("rate"), Duration.ofSeconds(1), probe);
            Map<String, Object> figures = step.asMap();
            figures.put("idle before the burst", hold.toString());
            Report.print("burst", figures);
            return step.lost() == 0 && step.afterSilence().clean();
        }
    }

    /** The idle stretch is the scenario's shape, not a wait for anything. */
    private static void sleep(Duration hold) {
        try {
            Thread.sleep(hold.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
