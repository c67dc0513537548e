package dev.ssebridge.bridge.connection;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class KeepaliveTest {

    private static final int K = Keepalive.TICKS_PER_INTERVAL;

    private final ConnectionRegistry registry = new ConnectionRegistry();
    private final Keepalive keepalive = new Keepalive(registry, Clock.systemUTC());

    @Test
    void anIdleStreamIsPingedOneIntervalAndItsPhaseAfterItsLastWriteThenEveryInterval() {
        Stream stream = open();

        for (int t = 0; t < 10 * K; t++) {
            keepalive.tick();
        }

        assertThat(stream.pings.get(0)).isBetween((long) K, (long) (K + K / 2 - 1));
        for (int i = 1; i < stream.pings.size(); i++) {
            assertThat(stream.pings.get(i) - stream.pings.get(i - 1)).isEqualTo(K);
        }
        assertThat(stream.pings).hasSizeGreaterThanOrEqualTo(8);
    }

    /**
     * Streams writing at random rates, from busy to idle: none is pinged within an interval of its last write, and
     * none is silent (no write, no ping) for more than one and a half intervals.
     */
    @Test
    void noPingWithinAnIntervalOfAWriteAndNoSilenceLongerThanOneAndAHalfIntervals() {
        Random random = new Random(7);
        List<Stream> streams = new ArrayList<>();
        List<Double> rates = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            streams.add(open());
            rates.add(random.nextDouble() < 0.2 ? 0 : Math.pow(10, -3 * random.nextDouble()));
        }

        for (int t = 0; t < 100 * K; t++) {
            keepalive.tick();
            for (int i = 0; i < streams.size(); i++) {
                if (random.nextDouble() < rates.get(i)) {
                    streams.get(i).write();
                }
            }
        }

        long pings = 0;
        for (Stream stream : streams) {
            pings += stream.pings.size();
            TreeMap<Long, Boolean> activity = new TreeMap<>(); // tick -> was a ping
            stream.writes.forEach(w -> activity.put(w, false));
            stream.pings.forEach(p -> activity.putIfAbsent(p, true));
            long previousWrite = 0;
            long previous = 0;
            for (Map.Entry<Long, Boolean> a : activity.entrySet()) {
                assertThat(a.getKey() - previous).as("silence before tick %d", a.getKey()).isLessThanOrEqualTo(K + K / 2);
                if (a.getValue()) {
                    assertThat(a.getKey() - previousWrite).as("ping at %d after a write", a.getKey()).isGreaterThanOrEqualTo(K);
                } else {
                    previousWrite = a.getKey();
                }
                previous = a.getKey();
            }
        }
        assertThat(pings).as("the idle streams were pinged").isGreaterThan(0);
    }

    /** A thousand streams that wrote the same event at the same tick do not ping at the same tick. */
    @Test
    void streamsThatWroteTogetherPingSpreadOverHalfAnInterval() {
        List<Stream> streams = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            streams.add(open());
        }
        keepalive.tick();
        streams.forEach(Stream::write);

        for (int t = 0; t < 2 * K; t++) {
            keepalive.tick();
        }

        TreeMap<Long, Integer> firstPings = new TreeMap<>();
        streams.forEach(s -> firstPings.merge(s.pings.get(0), 1, Integer::sum));
        assertThat(firstPings).hasSize(K / 2);
        assertThat(firstPings.values()).allSatisfy(n -> assertThat(n).isLessThan(2 * 1_000 / (K / 2)));
    }

    private Stream open() {
        Outbox outbox = new Outbox(1_000_000, Long.MAX_VALUE, () -> { }, Runnable::run, null, Long.MAX_VALUE);
        Stream stream = new Stream(outbox);
        outbox.wrote(keepalive.now());
        // What the connection's pipeline does with what it takes: pings are not writes that postpone pings.
        outbox.items().subscribe(item -> {
            if (item instanceof StreamItem.Ping) {
                stream.pings.add(keepalive.now());
            }
        });
        registry.add(new Connection("", "c" + System.identityHashCode(stream), List.of(), outbox, Instant.EPOCH));
        return stream;
    }

    private final class Stream {
        final Outbox outbox;
        final List<Long> pings = new ArrayList<>();
        final List<Long> writes = new ArrayList<>();

        Stream(Outbox outbox) {
            this.outbox = outbox;
        }

        void write() {
            writes.add(keepalive.now());
            outbox.wrote(keepalive.now());
        }
    }
}
