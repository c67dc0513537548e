package dev.ssebridge.bridge.hub;

import java.util.List;
import java.util.Map;

/**
 * How a resuming connection joins its channel: what to replay, from where, and the tail position at
 * which live events take over. Taken atomically with the connection's registration for live events.
 *
 * @param tail      the tail's position when the connection registered; live events are at or after it
 * @param start     where the connection starts, per partition (already resolved: no sentinel values)
 * @param fromRing  events to replay from memory, in the tail's order
 * @param fromKafka partitions to replay from Kafka, each from its start offset (or {@link dev.ssebridge.bridge.cursor.Positions#EARLIEST})
 *                  up to {@code tail}
 */
public record Splice(long[] tail, long[] start, List<ChannelEvent> fromRing, Map<Integer, Long> fromKafka) {
}
