package dev.ssebridge.bridge.start;

import dev.ssebridge.bridge.cursor.TopicIncarnation;

/**
 * Where a stream starts in one channel: offsets per partition, and the incarnation of the topic they are offsets of.
 * When the stream subscribes, offsets of another incarnation than the hub's (the topic was deleted and re-created
 * since they were taken) are not used: the stream starts at the new topic's beginning and says so.
 *
 * @param offsets     per partition, the first offset to deliver, or a {@link dev.ssebridge.bridge.cursor.Positions}
 *                    marker
 * @param incarnation the topic's incarnation they were taken in; {@link TopicIncarnation#UNKNOWN} when it is not
 *                    known (a version 1 cursor), and they are taken as the current topic's
 */
public record ChannelStart(long[] offsets, int incarnation) {

    /** Whether these offsets are of another topic than the one in {@code current} (it was re-created since). */
    public boolean staleIn(int current) {
        return TopicIncarnation.differs(incarnation, current);
    }
}
