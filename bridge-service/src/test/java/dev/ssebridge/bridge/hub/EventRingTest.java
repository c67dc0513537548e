package dev.ssebridge.bridge.hub;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ssebridge.bridge.channel.Channel;
import dev.ssebridge.bridge.support.ChannelBuilder;
import dev.ssebridge.bridge.support.EventBuilder;
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
