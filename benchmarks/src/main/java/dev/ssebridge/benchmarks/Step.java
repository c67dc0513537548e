package dev.ssebridge.benchmarks;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * One measured stretch at one rate, then silence: what broadcast, fan-out and the slow reader's fast clients
 * report. Counts over a window that keeps producing cannot see a record held back until later traffic pushes it
 * out, so each stretch ends with a per-connection check after the producer stopped ({@link AfterSilence}).
 */
record Step(int clients, int rate, long first, long events, long expected, long delivered, long lost,
            Histogram latency,
            AfterSilence afterSilence, CpuUse cpu, long rssKb, long errors, double seconds) {

    /**
     * Traffic for {@code warmup} at {@code rate} (at least 25 events) before anything is measured, so that
     * the bridge's JIT has compiled its hot paths: the bridge starts as a fresh JVM for each run, and its
     * compiler threads would otherwise compete for the same cores during the first measured seconds.
     */
    static void warmUp(Stats stats, BenchProducer producer, int clients, int rate, Duration warmup) {
        long events = Math.max(25, rate * warmup.toSeconds());
        long before = stats.delivered();
        producer.sendAtRate(events, Math.max(rate, 25));
        stats.awaitDelivered(before + events * clients, Duration.ofSeconds(60));
        stats.takeLatency();
    }

    /** Sends {@code rate} records a second for {@code duration} to the fleet, then checks every connection. */
    static Step measure(Fleet fleet, BenchProducer producer, int rate, Duration duration, BridgeProbe probe) {
        List<? extends Receiver> clients = fleet.clients();
        Stats stats = fleet.stats();
        long events = Math.max(1, rate * duration.toSeconds());
        long before = stats.delivered();
        CpuUse.Meter meter = CpuUse.start(probe);
        long t0 = System.nanoTime();
        long first = producer.sendAtRate(events, rate);
        long silentSince = System.nanoTime();
        // Then silence: per connection, is every record there soon after the last one was sent?
        AfterSilence afterSilence = AfterSilence.check(clients, first, first + events, silentSince);
        double seconds = (System.nanoTime() - t0) / 1e9;
        CpuUse cpu = meter.stop();
        long delivered = stats.delivered() - before;
        Histogram latency = stats.takeLatency();
        return new Step(clients.size(), rate, first, events, events * clients.size(), delivered, afterSilence.missing(),
                latency, afterSilence, cpu, probe.rssKb(), stats.errors(), seconds);
    }

    double deliveriesPerSecond() {
        return delivered / seconds;
    }

    String line() {
        return String.format("%d clients x %d ev/s: %d/%d delivered (%.0f/s), lost %d, %s, after silence: %s, "
                        + "bridge CPU %s, RSS %s, load generator CPU %s, machine busy %s, server JIT %s",
                clients, rate, delivered, expected, deliveriesPerSecond(), lost, Stats.describe(latency),
                afterSilence.describe(),
                cpu.bridgeText(), rssKb < 0 ? "n/a" : Report.mb(rssKb * 1024), cpu.loadGeneratorText(), cpu.machineText(),
                cpu.jitText());
    }

    Map<String, Object> asMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("clients x rate", clients + " x " + rate + " ev/s for " + events + " events");
        map.put("delivered / expected", delivered + " / " + expected + " (lost " + lost + ")");
        map.put("latency (record send to client)", Stats.describe(latency));
        map.put("after silence (each connection, once the producer stopped)", afterSilence.describe());
        map.put("deliveries/s", String.format("%.0f", deliveriesPerSecond()));
        map.put("bridge CPU (100% = one core)", cpu.bridgeText());
        map.put("bridge CPU per delivery", cpu.bridgePerDelivery(seconds, delivered));
        map.put("bridge RSS", rssKb < 0 ? "n/a" : Report.mb(rssKb * 1024));
        map.put("load generator CPU (100% = one core)", cpu.loadGeneratorText());
        map.put("machine busy (all cores, 100% = all)", cpu.machineText());
        map.put("server JIT compiling meanwhile", cpu.jitText());
        map.put("connection errors", errors);
        return map;
    }
}
