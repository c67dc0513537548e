package dev.ssebridge.bridge.hub;

import dev.ssebridge.bridge.frame.WriteBatches;
import java.util.List;

/**
 * Events that leave in one write (see {@link WriteBatches}): live events that
 * queued up for the connections of one event loop, handed to each of them as one item, or a run of a
 * ring replay. Shared by every connection that takes it; never modified.
 *
 * @param events one or more events, in the tail's order
 * @param bytes  their frames' total size, for buffer accounting
 */
public record EventBatch(List<ChannelEvent> events, int bytes) {

    /** {@code events} in runs that leave in one write each (see {@link WriteBatches}), in order. */
    public static List<EventBatch> runsOf(List<ChannelEvent> events) {
        List<List<ChannelEvent>> runs = WriteBatches.split(events, ChannelEvent::size);
        List<EventBatch> batches = new java.util.ArrayList<>(runs.size());
        for (List<ChannelEvent> run : runs) {
            batches.add(of(run));
        }
        return batches;
    }

    public static EventBatch of(List<ChannelEvent> events) {
        int bytes = 0;
        for (ChannelEvent event : events) {
            bytes += event.size();
        }
        return new EventBatch(events, bytes);
    }
}
