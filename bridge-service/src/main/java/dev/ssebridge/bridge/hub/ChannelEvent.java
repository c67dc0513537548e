package dev.ssebridge.bridge.hub;

import dev.ssebridge.bridge.channel.Channel;
import dev.ssebridge.bridge.where.EventValue;
import java.util.Map;

/**
 * One Kafka record of a channel, encoded once and shared by every connection that delivers it.
 * The arrays are never modified after construction.
 *
 * @param channel        the channel
 * @param partition      Kafka partition
 * @param offset         Kafka offset
 * @param timestamp      record timestamp, epoch millis
 * @param key            record key as UTF-8 text, or null
 * @param severity       rank of the channel's severity field (see {@code Severities}), or -1
 * @param positionsAfter the channel tail's next offset of every partition right after this record: a
 *                       correct single-channel cursor for any connection that is live when it gets it
 * @param frame          the whole SSE event: {@code id:} line (the cursor of {@code positionsAfter}), then
 *                       {@code event:} and {@code data:} lines and the terminating blank line
 * @param bodyOffset     where the part after the {@code id:} line starts in {@code frame}
 * @param value          the record value as {@code ?where=} filters see it: parsed on first use, once for every
 *                       connection; {@link EventValue#ABSENT} for a tombstone (which passes every such filter)
 * @param stateKey       the piece of state it is the value of (see {@code Channel.stateKey}): what conflation
 *                       keeps one value of; null for a record without a key
 * @param headers        the record's headers, for a channel whose policy reads them; null otherwise
 * @param incarnation    the incarnation of the topic the offsets are in ({@code TopicIncarnation}), as in its id
 * @param history        read while the channel's state is built from the topic's start, and written before the
 *                       bridge started: not news to a live subscriber that came before its position was known
 */
public record ChannelEvent(
        Channel channel,
        int partition,
        long offset,
        long timestamp,
        String key,
        int severity,
        long[] positionsAfter,
        byte[] frame,
        int bodyOffset,
        EventValue value,
        String stateKey,
        Map<String, String> headers,
        int incarnation,
        boolean history) {


    /** Bytes held by this event, for buffer accounting. */
    public int size() {
        return frame.length;
    }
}
