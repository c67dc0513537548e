package dev.ssebridge.bridge.history;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ssebridge.bridge.frame.SseFrames;
import java.util.List;
import org.junit.jupiter.api.Test;

class HistoryWindowTest {

    @Test
    void mergesPartitionsByTimeKeepingEachPartitionInOffsetOrder() {
        HistoryWindow window = new HistoryWindow(10, 2);
        // Partition 0 has a producer timestamp that goes backwards (offset 11 before offset 10 in time).
        window.add(item(0, 10, 500));
        window.add(item(0, 11, 100));
        window.add(item(1, 3, 200));
        window.add(item(1, 4, 600));

        HistoryWindow.Result result = window.finish(new long[] {12, 5});

        assertThat(result.items()).extracting(i -> i.partition() + "@" + i.offset())
                .containsExactly("1@3", "0@10", "0@11", "1@4");
        assertThat(result.truncated()).isFalse();
    }

    @Test
    void keepsTheMostRecentAndSaysSo() {
        HistoryWindow window = new HistoryWindow(2, 1);
        for (int i = 0; i < 5; i++) {
            window.add(item(0, i, i));
        }
        HistoryWindow.Result result = window.finish(new long[] {5});

        assertThat(result.items()).extracting(HistoryWindow.Item::offset).containsExactly(3L, 4L);
        assertThat(result.truncated()).isTrue();
    }

    @Test
    void eachCursorResumesRightAfterItsEventWithoutPassingALaterOne() {
        HistoryWindow window = new HistoryWindow(10, 3);
        window.add(item(0, 5, 1));
        window.add(item(1, 7, 2));
        window.add(item(0, 6, 3));
        // Partition 2 had records only outside the filter: nothing listed.

        HistoryWindow.Result result = window.finish(new long[] {9, 8, 4});

        List<long[]> positions = result.positions();
        // After 0@5: partition 0 at 6; partition 1 not reached yet (its first listed offset, 7); partition 2 at its end.
        assertThat(positions.get(0)).containsExactly(6, 7, 4);
        // After 1@7, its last listed event: partition 1 is done up to its end.
        assertThat(positions.get(1)).containsExactly(6, 8, 4);
        // After the last event: everything up to the end of the query.
        assertThat(positions.get(2)).containsExactly(9, 8, 4);
    }

    private static HistoryWindow.Item item(int partition, long offset, long timestamp) {
        return new HistoryWindow.Item(partition, offset, timestamp, new SseFrames.Envelope("e", "{}", "t", null));
    }
}
