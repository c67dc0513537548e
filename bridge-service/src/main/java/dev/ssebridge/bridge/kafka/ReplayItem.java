package dev.ssebridge.bridge.kafka;

import dev.ssebridge.bridge.channel.Channel;
import java.util.List;

/** What a replay yields, in partition order, ahead of the connection's live events. */
public sealed interface ReplayItem {

    Channel channel();

    /**
     * A record read again from Kafka.
     *
     * @param key      record key as UTF-8 text, or null
     * @param severity rank of the channel's severity field, or -1
     * @param body     the SSE event without its {@code id:} line (see {@code RecordDecoder})
     */
    record Record(Channel channel, int partition, long offset, long timestamp, String key, int severity, byte[] body)
            implements ReplayItem {
    }

    /**
     * Records read again from Kafka one after the other, which leave in one write (see
     * {@code WriteBatches}).
     *
     * @param records two or more records of {@code channel}, in order
     */
    record Records(Channel channel, List<Record> records) implements ReplayItem {
    }

    /**
     * Retention deleted records the client asked for; replay goes on from the first offset Kafka holds.
     *
     * @param requested      the offset the client needed next
     * @param firstAvailable the first offset Kafka still has
     */
    record Gap(Channel channel, int partition, long requested, long firstAvailable) implements ReplayItem {

        /** Offsets skipped (an upper bound on records lost: some offsets may have held no record). */
        public long lost() {
            return firstAvailable - requested;
        }
    }

    /**
     * The replay of a channel, from Kafka and the ring, reached the tail position {@code positions}: every
     * record before it has been delivered or skipped.
     */
    record CaughtUp(Channel channel, long[] positions) implements ReplayItem {
    }
}
