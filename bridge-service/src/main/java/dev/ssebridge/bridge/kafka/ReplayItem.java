package dev.ssebridge.bridge.kafka;

import dev.ssebridge.bridge.channel.Channel;
import dev.ssebridge.bridge.frame.ChannelRecord;
import java.util.List;

/** What a replay from Kafka yields, in partition order: runs of records, and gaps where retention deleted some. */
public sealed interface ReplayItem {

    Channel channel();

    /**
     * Records read again, one after the other, that leave in one write (see {@code WriteBatches}).
     *
     * @param records one or more records of {@code channel}, in order
     */
    record Records(Channel channel, List<ChannelRecord> records) implements ReplayItem {
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
}
