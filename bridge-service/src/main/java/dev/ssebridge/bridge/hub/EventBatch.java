package dev.ssebridge.bridge.hub;

import dev.ssebridge.bridge.frame.WriteBatches;
import java.util.List;

/**
 * Events that leave in one write (see {@link WriteBatches}): live events that
 * queued up for the connections of one event loop, handed to each of them as one item, or a run of a
 * ring replay. Shared by every connection that takes it; never modified.
 *
 * @param events two or more events, in the tail's order
 * @param bytes  their frames' total size, for buffer accounting
 */
public record EventBatch(List<ChannelEvent> events, int bytes) {

    /**
     * {@code events} as items that leave in one write each (see {@link WriteBatches}): an event on its own,
     * or an {@code EventBatch}.
     */
    public static List<Object> itemsOf(List<ChannelEvent> events) {
        return WriteBatches.runs(events, ChannelEvent::size, EventBatch::of);
    }

    public static EventBatch of(List<ChannelEvent> events) {
        int bytes = 0;
        for (ChannelEvent event : events) {
            bytes += event.size();
        }
        return new EventBatch(events, bytes);
    }
}
