package dev.ssebridge.bridge.kafka;

import dev.ssebridge.bridge.channel.Channel;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import reactor.core.publisher.Mono;

/** Asks Kafka for partition offsets (first held, end, by timestamp) without a consumer, on the channel's cluster. */
public final class OffsetLookup {

    /** Returned for a partition that has no record at or after the asked timestamp. */
    public static final long NONE = -1;

    private final KafkaClusters clusters;

    OffsetLookup(KafkaClusters clusters) {
        this.clusters = clusters;
    }

    /** First offset still held by each of the {@code partitions} partitions of {@code channel}'s topic. */
    public Mono<long[]> earliest(Channel channel, int partitions) {
        return list(channel, partitions, OffsetSpec.earliest());
    }

    /** End offset (next offset to be written) of each partition. */
    public Mono<long[]> latest(Channel channel, int partitions) {
        return list(channel, partitions, OffsetSpec.latest());
    }

    /** Offset of the first record with a timestamp at or after {@code epochMillis}, or {@link #NONE}. */
    public Mono<long[]> forTimestamp(Channel channel, int partitions, long epochMillis) {
        return list(channel, partitions, OffsetSpec.forTimestamp(epochMillis));
    }

    private Mono<long[]> list(Channel channel, int partitions, OffsetSpec spec) {
        String topic = channel.topic();
        ClusterAccess access = clusters.of(channel).access();
        return Mono.defer(() -> {
            Map<TopicPartition, OffsetSpec> request = new HashMap<>();
            for (int p = 0; p < partitions; p++) {
                request.put(new TopicPartition(topic, p), spec);
            }
            return access.ask(admin -> admin.listOffsets(request).all())
                    .map(result -> toArray(topic, partitions, result));
        });
    }

    private static long[] toArray(String topic, int partitions,
                                  Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> result) {
        long[] offsets = new long[partitions];
        for (int p = 0; p < partitions; p++) {
            long offset = result.get(new TopicPartition(topic, p)).offset();
            offsets[p] = offset < 0 ? NONE : offset;
        }
        return offsets;
    }
}
