package dev.ssebridge.bridge.conflation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ssebridge.bridge.channel.Channel;
import dev.ssebridge.bridge.hub.ChannelEvent;
import dev.ssebridge.bridge.hub.EventBatch;
import dev.ssebridge.bridge.support.ChannelBuilder;
import dev.ssebridge.bridge.support.EventBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.Test;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * A release timer fires on Reactor's timer thread and hands its work to the connection's event loop; the stream can
 * end between the two. That work must then release nothing and arm no other timer: before the fix it re-armed once,
 * for a held event of a stream that had ended.
 */
class ConflationTimerTest {

    private static final Channel CHANNEL = ChannelBuilder.channel("dashboard").topic("d")
            .eventName("dashboard_update").build();

    private final VirtualTimeScheduler timers = VirtualTimeScheduler.create();
    private final List<Runnable> loopTasks = new ArrayList<>();
    private final Executor loop = loopTasks::add;
    private final List<Long> sent = new ArrayList<>();
    private long now;

    @Test
    void aTimerAlreadyHandedToTheLoopWhenTheStreamEndsReleasesNothingAndArmsNoOther() {
        Conflation conflation = new Conflation(Map.of(CHANNEL, new ConflationPolicy(new MaxRate(1.0), 100)),
                event -> true, loop, timers, () -> now, channel -> { });
        conflation.attach(new RecordingQueue());
        conflation.live(CHANNEL, new long[] {0});

        assertThat(conflation.offer(event(0))).isTrue(); // the key's first event goes out
        now = Duration.ofMillis(1).toNanos();
        assertThat(conflation.offer(event(1))).isTrue(); // within max_rate's second: held, a timer armed
        assertThat(sent).containsExactly(0L);

        timers.advanceTimeBy(Duration.ofSeconds(1));
        assertThat(loopTasks).as("the timer fired: its release waits on the event loop").hasSize(1);
        conflation.close(); // the stream ends meanwhile
        runLoop();

        timers.advanceTimeBy(Duration.ofSeconds(10));
        assertThat(loopTasks).as("no timer armed after the end").isEmpty();
        assertThat(sent).containsExactly(0L);
    }

    private void runLoop() {
        while (!loopTasks.isEmpty()) {
            loopTasks.remove(0).run();
        }
    }

    private static ChannelEvent event(long offset) {
        return EventBuilder.event(CHANNEL, 0, offset).key("portfolio-1").build();
    }

    /** The outbox as conflation sees it: never congested, keeps what is sent. */
    private final class RecordingQueue implements ConflatedQueue {

        @Override
        public boolean send(ChannelEvent event) {
            sent.add(event.offset());
            return true;
        }

        @Override
        public boolean send(EventBatch batch) {
            batch.events().forEach(this::send);
            return true;
        }

        @Override
        public boolean sendConflated(ChannelEvent event, long[] idPosition) {
            return send(event);
        }

        @Override
        public boolean congested() {
            return false;
        }

        @Override
        public int roomBeforeCongested() {
            return 100;
        }

        @Override
        public void overflow() {
            throw new AssertionError("nothing overflows here");
        }

        @Override
        public void runLocked(Runnable task) {
            task.run();
        }
    }
}
