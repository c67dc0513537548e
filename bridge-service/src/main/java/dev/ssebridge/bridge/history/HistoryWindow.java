package dev.ssebridge.bridge.history;

import dev.ssebridge.bridge.frame.SseFrames;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Collects the events of a history query and returns the most recent {@code limit} of them, oldest first,
 * each with the cursor that resumes right after it.
 *
 * <p>Partitions are merged by record timestamp, but each partition stays in offset order (a k-way merge,
 * not a sort): producer timestamps can go backwards within a partition, and a cursor must never pass an
 * event the list has not shown yet. Memory is bounded by {@code limit} events per partition.
 */
final class HistoryWindow {

    /** One accepted event: where it is, when it was written, and its envelope. */
    record Item(int partition, long offset, long timestamp, SseFrames.Envelope envelope) {
    }

    /** The result: events oldest first, each with its cursor positions, and whether older ones were cut. */
    record Result(List<Item> items, List<long[]> positions, boolean truncated) {
    }

    private final int limit;
    private final List<Deque<Item>> kept = new ArrayList<>();
    private long accepted;

    HistoryWindow(int limit, int partitions) {
        this.limit = limit;
        for (int p = 0; p < partitions; p++) {
            kept.add(new ArrayDeque<>());
        }
    }

    /** Adds an accepted event; per partition, events must come in offset order. */
    void add(Item item) {
        while (kept.size() <= item.partition()) {
            kept.add(new ArrayDeque<>());
        }
        Deque<Item> partition = kept.get(item.partition());
        partition.addLast(item);
        if (partition.size() > limit) {
            partition.removeFirst();
        }
        accepted++;
    }

    /**
     * @param end the position the query read up to; a cursor points there for every partition with no
     *            later event in the list
     */
    Result finish(long[] end) {
        List<Item> merged = merge();
        List<Item> items = merged.subList(Math.max(0, merged.size() - limit), merged.size());
        int partitions = Math.max(end.length, kept.size());
        // Per partition, the index of its last item in the list, and its first offset in the list.
        int[] lastIndex = new int[partitions];
        long[] firstOffset = new long[partitions];
        Arrays.fill(lastIndex, -1);
        Arrays.fill(firstOffset, -1);
        for (int i = 0; i < items.size(); i++) {
            Item item = items.get(i);
            lastIndex[item.partition()] = i;
            if (firstOffset[item.partition()] < 0) {
                firstOffset[item.partition()] = item.offset();
            }
        }
        long[] position = new long[partitions];
        for (int p = 0; p < partitions; p++) {
            position[p] = firstOffset[p] >= 0 ? firstOffset[p] : endOf(end, p);
        }
        List<long[]> positions = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            Item item = items.get(i);
            int p = item.partition();
            // After its last listed event, nothing more of that partition is wanted up to the end.
            position[p] = lastIndex[p] == i ? Math.max(item.offset() + 1, endOf(end, p)) : item.offset() + 1;
            positions.add(position.clone());
        }
        return new Result(List.copyOf(items), positions, accepted > items.size());
    }

    private List<Item> merge() {
        PriorityQueue<Deque<Item>> heads = new PriorityQueue<>((a, b) -> {
            int byTime = Long.compare(a.peekFirst().timestamp(), b.peekFirst().timestamp());
            return byTime != 0 ? byTime : Integer.compare(a.peekFirst().partition(), b.peekFirst().partition());
        });
        for (Deque<Item> partition : kept) {
            if (!partition.isEmpty()) {
                heads.add(new ArrayDeque<>(partition));
            }
        }
        List<Item> merged = new ArrayList<>();
        while (!heads.isEmpty()) {
            Deque<Item> head = heads.poll();
            merged.add(head.removeFirst());
            if (!head.isEmpty()) {
                heads.add(head);
            }
        }
        return merged;
    }

    private static long endOf(long[] end, int partition) {
        return partition < end.length ? end[partition] : 0;
    }
}
