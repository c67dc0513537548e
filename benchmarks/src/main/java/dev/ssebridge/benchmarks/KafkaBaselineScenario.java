package dev.ssebridge.benchmarks;

import java.util.Map;
import org.HdrHistogram.Histogram;

/** Kafka alone: the latency floor of this machine, for comparison with the bridge's figures. */
record KafkaBaselineScenario(Options options) implements Scenario {

    @Override
    public boolean run() {
        Histogram h = KafkaBaseline.measure(options.text("bootstrap"), options.text("topic"), options.integer("rate"),
                options.duration("duration"));
        Report.print("kafka", Map.of("rate", options.integer("rate") + " ev/s for " + options.duration("duration"),
                "latency (record send to plain consumer poll)", Stats.describe(h)));
        return true;
    }
}
