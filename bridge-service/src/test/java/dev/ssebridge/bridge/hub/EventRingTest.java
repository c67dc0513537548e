package dev.ssebridge.bridge.hub;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ssebridge.bridge.channel.Channel;
import dev.ssebridge.bridge.support.ChannelBuilder;
import dev.ssebridge.bridge.support.EventBuilder;
import dev.ssebridge.bridge.where.EventValue;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventRingTest {

    private static final Channel CHANNEL = ChannelBuilder.channel("c").topic("t").eventName("e").tag(1).build();

    @Test
    void coversFromTheTailStartUntilEvictionRaisesTheFloor() {
        EventRing ring = new EventRing(2, 1 << 20);
        ring.assigned(new long[] {100});
        assertThat(ring.covers(0, 100)).isTrue();
        assertThat(ring.covers(0, 99)).isFalse();

        ring.add(event(0, 100, 10));
        ring.add(event(0, 101, 10));
        assertThat(ring.covers(0, 100)).isTrue();

        ring.add(event(0, 102, 10));
        assertThat(ring.covers(0, 100)).isFalse();
        assertThat(ring.covers(0, 101)).isTrue();
        assertThat(ring.size()).isEqualTo(2);
    }

    @Test
    void byteBoundEvictsOldestButKeepsAtLeastOne() {
        EventRing ring = new EventRing(100, 250);
        ring.assigned(new long[] {0});
        ring.add(event(0, 0, 100));
        ring.add(event(0, 1, 100));
        ring.add(event(0, 2, 100));
        assertThat(ring.size()).isEqualTo(2);
        assertThat(ring.bytes()).isEqualTo(200);

        ring.add(event(0, 3, 1000));
        assertThat(ring.size()).isEqualTo(1);
        assertThat(ring.covers(0, 3)).isTrue();
    }

    @Test
    void valuesParsedForWhereFiltersCountInTheByteBoundUntilTheirEventsLeave() {
        EventRing ring = new EventRing(100, 2_000);
        ring.assigned(new long[] {0});
        for (int i = 0; i < 10; i++) {
            ring.add(withValue(i));
        }
        assertThat(ring.size()).isEqualTo(10);
        assertThat(ring.bytes()).isEqualTo(1_000); // frames only: nothing parsed yet

        List<ChannelEvent> held = ring.since(new long[] {0}, new boolean[] {true});
        held.forEach(event -> event.value().tree()); // a where filter reads them all
        assertThat(ring.bytes()).isEqualTo(1_000 + parsed(held));
        assertThat(ring.bytes()).as("over the bound until the next event").isGreaterThan(2_000);

        ring.add(withValue(10));
        List<ChannelEvent> kept = ring.since(new long[] {0}, new boolean[] {true});
        assertThat(kept.size()).isLessThan(10);
        assertThat(ring.bytes()).isLessThanOrEqualTo(2_000)
                .isEqualTo(100L * kept.size() + parsed(kept)); // what left counts no more
        assertThat(ring.covers(0, kept.get(0).offset())).isTrue();
        assertThat(ring.covers(0, kept.get(0).offset() - 1)).isFalse();
    }

    private static ChannelEvent withValue(long offset) {
        byte[] json = ("{\"task_id\":\"task-" + "x".repeat(40) + offset + "\",\"progress\":" + offset + "}")
                .getBytes(StandardCharsets.UTF_8);
        return EventBuilder.event(CHANNEL, 0, offset).positionsAfter(offset + 1).size(100)
                .value(EventValue.ofJson(json)).build();
    }

    private static long parsed(List<ChannelEvent> events) {
        return events.stream().mapToLong(event -> event.value().treeBytes()).sum();
    }

    @Test
    void sinceReturnsOnlyWantedPartitionsFromTheirStartsInTailOrder() {
        EventRing ring = new EventRing(100, 1 << 20);
        ring.assigned(new long[] {0, 0, 0});
        int[][] order = {{0, 0}, {1, 0}, {2, 0}, {0, 1}, {1, 1}, {0, 2}, {2, 1}};
        for (int[] e : order) {
            ring.add(event(e[0], e[1], 10));
        }

        var found = ring.since(new long[] {1, 0, 5}, new boolean[] {true, false, true});

        assertThat(found).extracting(e -> e.partition() + "@" + e.offset()).containsExactly("0@1", "0@2");
    }

    @Test
    void newPartitionsStartCoveredFromWhereTheTailStartsThem() {
        EventRing ring = new EventRing(10, 1 << 20);
        ring.assigned(new long[] {5});
        ring.assigned(new long[] {5, 0});
        assertThat(ring.covers(1, 0)).isTrue();
    }

    private static ChannelEvent event(int partition, long offset, int size) {
        return EventBuilder.event(CHANNEL, partition, offset).positionsAfter(offset + 1).size(size).build();
    }
}
