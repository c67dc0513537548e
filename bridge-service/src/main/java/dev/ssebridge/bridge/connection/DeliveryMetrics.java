package dev.ssebridge.bridge.connection;

import dev.ssebridge.bridge.channel.Channel;
import dev.ssebridge.bridge.channel.Channels;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the connections write: events delivered per channel, bytes, delivery latency (record timestamp to
 * write, live events only: a replayed record is old by design), and connections ended for falling behind.
 * Counters are LongAdders read by Micrometer at scrape time, so the per-event cost is one add. A family's members
 * count under the family's name: a tag per topic would let requests for many topics grow the registry.
 */
final class DeliveryMetrics {

    private final Map<String, LongAdder> delivered = new HashMap<>();
    private final Map<String, Timer> latency = new HashMap<>();
    private final Map<String, LongAdder> conflated = new HashMap<>();
    private final Map<String, LongAdder> snapshotEntries = new HashMap<>();
    private final LongAdder bytes = new LongAdder();
    private final Counter overflows;

    DeliveryMetrics(Channels channels, MeterRegistry registry) {
        List<String> names = new ArrayList<>(channels.names());
        channels.families().forEach(family -> names.add(family.name()));
        for (String channel : names) {
            LongAdder adder = new LongAdder();
            delivered.put(channel, adder);
            FunctionCounter.builder("ssebridge.events.delivered", adder, LongAdder::sum)
                    .description("Events written to SSE connections")
                    .tag("channel", channel)
                    .register(registry);
            LongAdder replaced = new LongAdder();
            conflated.put(channel, replaced);
            FunctionCounter.builder("ssebridge.events.conflated", replaced, LongAdder::sum)
                    .description("Events not sent to a connection because a newer value of their key replaced them "
                            + "while conflation held them (max_rate, or a client reading slower than the channel)")
                    .tag("channel", channel)
                    .register(registry);
            LongAdder entries = new LongAdder();
            snapshotEntries.put(channel, entries);
            FunctionCounter.builder("ssebridge.snapshot.entries.sent", entries, LongAdder::sum)
                    .description("Snapshot entries (latest value of a key) written to joining connections")
                    .tag("channel", channel)
                    .register(registry);
            latency.put(channel, Timer.builder("ssebridge.delivery.latency")
                    .description("From the Kafka record timestamp to the write to a connection (live events)")
                    .tag("channel", channel)
                    .publishPercentileHistogram()
                    .minimumExpectedValue(Duration.ofMillis(1))
                    .maximumExpectedValue(Duration.ofSeconds(30))
                    .register(registry));
        }
        FunctionCounter.builder("ssebridge.bytes.written", bytes, LongAdder::sum)
                .description("Bytes written to SSE connections").baseUnit("bytes").register(registry);
        overflows = Counter.builder("ssebridge.overflow.disconnects")
                .description("Connections ended because the client did not keep up").register(registry);
    }

    void delivered(Channel channel, long recordTimestamp, boolean live) {
        delivered.get(channel.configName()).increment();
        if (live && recordTimestamp > 0) {
            latency.get(channel.configName()).record(Math.max(0, System.currentTimeMillis() - recordTimestamp), TimeUnit.MILLISECONDS);
        }
    }

    void conflated(Channel channel) {
        conflated.get(channel.configName()).increment();
    }

    void snapshotEntries(Channel channel, int count) {
        snapshotEntries.get(channel.configName()).add(count);
    }

    void written(int size) {
        bytes.add(size);
    }

    void overflowed() {
        overflows.increment();
    }
}
