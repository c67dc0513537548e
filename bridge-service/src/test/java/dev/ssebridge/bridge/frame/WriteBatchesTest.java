package dev.ssebridge.bridge.frame;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class WriteBatchesTest {

    @Test
    void smallEventsGoSixteenToAWriteInOrder() {
        List<Integer> sizes = IntStream.range(0, 40).mapToObj(i -> 10).toList();

        List<List<Integer>> batches = WriteBatches.split(sizes, Integer::intValue);

        assertThat(batches).extracting(List::size).containsExactly(16, 16, 8);
        assertThat(batches.stream().flatMap(List::stream).toList()).isEqualTo(sizes);
    }

    @Test
    void aWriteStopsBeforeItsBytesPassTheBound() {
        List<Integer> sizes = List.of(1000, 1000, 1000, 1000, 96, 1, 4096, 5000, 3);

        List<List<Integer>> batches = WriteBatches.split(sizes, Integer::intValue);

        // 4,096 bytes fit exactly; a single event larger than the bound goes alone, never split.
        assertThat(batches).containsExactly(List.of(1000, 1000, 1000, 1000, 96), List.of(1), List.of(4096),
                List.of(5000), List.of(3));
    }

    @Test
    void nothingToSplitGivesNoWrites() {
        assertThat(WriteBatches.split(Collections.<Integer>emptyList(), Integer::intValue)).isEmpty();
    }

    @Test
    void joinedFramesKeepTheirOrderAndOneFrameIsNotCopied() {
        byte[] a = "id: 1\ndata: a\n\n".getBytes(StandardCharsets.UTF_8);
        byte[] b = "id: 2\ndata: b\n\n".getBytes(StandardCharsets.UTF_8);

        assertThat(new String(WriteBatches.join(List.of(a, b)), StandardCharsets.UTF_8))
                .isEqualTo("id: 1\ndata: a\n\nid: 2\ndata: b\n\n");
        assertThat(WriteBatches.join(List.of(a))).isSameAs(a);
    }
}
