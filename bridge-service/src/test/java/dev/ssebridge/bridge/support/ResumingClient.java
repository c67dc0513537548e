package dev.ssebridge.bridge.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntUnaryOperator;
import java.util.stream.Collectors;

/**
 * A client that drops its stream when told and resumes from the last id it got, keeping what each connection carried:
 * what a browser's EventSource does on a flaky network. Its events carry {@code "seq":N}; which partition a seq was
 * written to is the test's to say, for the per-partition order.
 */
public final class ResumingClient implements AutoCloseable {

    private final RunningBridge bridge;
    private final String path;
    private final String event;
    private final IntUnaryOperator partitionOf;
    /** The seqs of the connections dropped so far, in arrival order. */
    private final List<Integer> dropped = new ArrayList<>();
    private String lastId;
    private SseClient current;
    private int resumes;

    /** @param partitionOf the partition each seq was written to */
    public ResumingClient(RunningBridge bridge, String path, String event, IntUnaryOperator partitionOf) {
        this.bridge = bridge;
        this.path = path;
        this.event = event;
        this.partitionOf = partitionOf;
        this.current = bridge.connect(path);
    }

    public void awaitConnected() {
        current.awaitConnected();
    }

    /** Drops the stream and resumes after what it carried (a refused or failed one is simply tried again). */
    public void resume() {
        current.close();
        List<SseClient.Received> events = current.all(); // closed: the events and the last id agree
        dropped.addAll(SseClient.seqs(events, event));
        String id = SseClient.lastEventId(events);
        if (id != null) {
            lastId = id;
        }
        current = lastId == null ? bridge.connect(path) : bridge.connect(path, Map.of("Last-Event-ID", lastId));
        resumes++;
    }

    public int resumes() {
        return resumes;
    }

    /** Every seq received, over every connection. */
    public Set<Integer> received() {
        Set<Integer> all = new HashSet<>(dropped);
        all.addAll(current.seqs(event));
        return all;
    }

    public void assertExactlyOnceInOrder() {
        List<Integer> all = new ArrayList<>(dropped);
        all.addAll(current.seqs(event));
        assertExactlyOnceInOrder(all, "a client after " + resumes + " resumes", partitionOf);
    }

    /** No seq twice, and each partition's seqs in the order they were written. */
    public static void assertExactlyOnceInOrder(List<Integer> seqs, String who, IntUnaryOperator partitionOf) {
        assertThat(seqs).as("%s: seqs", who).doesNotHaveDuplicates();
        Map<Integer, List<Integer>> byPartition = seqs.stream()
                .collect(Collectors.groupingBy(partitionOf::applyAsInt, Collectors.toList()));
        byPartition.forEach((partition, ofPartition) ->
                assertThat(ofPartition).as("%s: partition %d in order", who, partition).isSorted());
    }

    @Override
    public void close() {
        current.close();
    }
}
