package dev.ssebridge.bridge.frame;

import dev.ssebridge.bridge.channel.Channel;
import java.util.Map;

/**
 * A Kafka record of a channel, decoded once into the body of its SSE event: what a tail publishes and what a
 * replay yields, from the same {@link RecordDecoder}. The body is never modified after construction.
 *
 * @param key         record key as UTF-8 text, or null
 * @param severity    rank of the channel's severity field ({@link Severities}), or -1
 * @param body        the SSE event without its {@code id:} line (see {@link SseFrames}, the layout's one owner)
 * @param valueOffset where the record's value (its JSON, as filters read it) starts in {@code body}
 * @param valueLength how long the value is
 * @param tombstone   whether the record had no value: its body is the {@code delete} event of its key
 * @param stateKey    the key of the piece of state it is the value of ({@link Channel#stateKey}), or null
 * @param headers     the record's headers (name to UTF-8 text, the last of a repeated name), kept only for a channel
 *                    whose policy reads them; null otherwise
 */
public record ChannelRecord(Channel channel, int partition, long offset, long timestamp, String key, int severity,
                            byte[] body, int valueOffset, int valueLength, boolean tombstone, String stateKey,
                            Map<String, String> headers) {

    /** Bytes held, for buffer accounting. */
    public int size() {
        return body.length;
    }
}
