package dev.ssebridge.bridge.hub;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ssebridge.bridge.channel.Channel;
import dev.ssebridge.bridge.channel.Channels;
import dev.ssebridge.bridge.cursor.CursorCodec;
import dev.ssebridge.bridge.support.ChannelBuilder;
import dev.ssebridge.bridge.support.RecordBuilder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The hand-off from the tail thread to the event loops leaves nothing behind: the tail publishes short bursts
 * (so events keep arriving while a loop's task is finishing, the window a lost wake-up would need), and after
 * each, with nothing published after it, every connection of every loop has every event, in order, at once.
 */
class LoopFanoutHandOffTest {

    private static final Channel CHANNEL = ChannelBuilder.channel("training").topic("t")
            .eventName("training_progress").build();
    private static final int BURSTS = 5_000;
    private static final int MAX_BURST = 20;
    /** Far above a loop's hand-off time (microseconds); an event left behind would never arrive. */
    private static final Duration BOUND = Duration.ofSeconds(1);
    private static final int LOOPS = 3;
    private static final int CONNECTIONS_PER_LOOP = 4;

    private final List<ExecutorService> loops = new ArrayList<>();

    @AfterEach
    void stop() {
        loops.forEach(ExecutorService::shutdownNow);
    }

    @Test
    void everyEventReachesEveryConnectionWithoutALaterOneToPushItOut() throws Exception {
        ChannelHub hub = new ChannelHub(CHANNEL, new CursorCodec(new Channels(List.of(CHANNEL), List.of())), 16, 1 << 20, null);
        hub.assigned(1, new long[] {0});
        List<AtomicLong> lastOffsets = new ArrayList<>();
        List<AtomicLong> outOfOrder = new ArrayList<>();
        for (int l = 0; l < LOOPS; l++) {
            ExecutorService loop = Executors.newSingleThreadExecutor();
            loops.add(loop);
            for (int c = 0; c < CONNECTIONS_PER_LOOP; c++) {
                AtomicLong last = new AtomicLong(-1);
                AtomicLong disorder = new AtomicLong();
                hub.subscribe(new CollectingSink(loop, event -> {
                    if (event.offset() != last.get() + 1) {
                        disorder.incrementAndGet();
                    }
                    last.set(event.offset());
                }));
                lastOffsets.add(last);
                outOfOrder.add(disorder);
            }
        }
        byte[] body = "event: training_progress\ndata: {}\n\n".getBytes(StandardCharsets.UTF_8);
        SplittableRandom random = new SplittableRandom(19);
        int offset = 0;
        for (int burst = 0; burst < BURSTS; burst++) {
            for (int end = offset + 1 + random.nextInt(MAX_BURST); offset < end; offset++) {
                hub.publish(RecordBuilder.record(CHANNEL, 0, offset).body(body).build());
                if (random.nextInt(8) == 0) {
                    for (int spin = random.nextInt(300); spin > 0; spin--) {
                        Thread.onSpinWait();
                    }
                }
            }
            // Silence: the burst's last event must reach every connection with nothing published after it.
            long lastOffset = offset - 1;
            long deadline = System.nanoTime() + BOUND.toNanos();
            while (lastOffsets.stream().anyMatch(last -> last.get() != lastOffset)) {
                assertThat(System.nanoTime()).as("burst %d: offset %d still not on every connection after %s: %s",
                        burst, lastOffset, BOUND, lastOffsets).isLessThan(deadline);
                Thread.onSpinWait();
            }
        }
        assertThat(outOfOrder).allSatisfy(disorder -> assertThat(disorder.get()).isZero());
    }
}
