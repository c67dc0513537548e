package dev.ssebridge.bridge.start;

import dev.ssebridge.bridge.channel.Channel;
import dev.ssebridge.bridge.cursor.MalformedCursorException;
import dev.ssebridge.bridge.cursor.Positions;
import dev.ssebridge.bridge.hub.ChannelHubs;
import dev.ssebridge.bridge.kafka.ChannelFailedException;
import dev.ssebridge.bridge.kafka.FailedTails;
import dev.ssebridge.bridge.kafka.OffsetLookup;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Turns a {@link StartRequest} into a start offset per partition of each channel of a stream, checking
 * a cursor against the topics: a cursor for channels the stream does not carry, for partitions a topic
 * does not have, or beyond the end of a partition was not written by this deployment and is refused. Not a cursor
 * of a topic since deleted and re-created (another {@link ChannelStart#incarnation}): its offsets say nothing about
 * the new topic, and the stream starts at the new topic's beginning when it subscribes.
 */
public final class StartResolver {

    private final ChannelHubs hubs;
    private final OffsetLookup offsets;
    private final FailedTails failedTails;
    private final Duration readyTimeout;

    StartResolver(ChannelHubs hubs, OffsetLookup offsets, FailedTails failedTails, Duration readyTimeout) {
        this.hubs = hubs;
        this.offsets = offsets;
        this.failedTails = failedTails;
        this.readyTimeout = readyTimeout;
    }

    /**
     * Start offsets by channel (values may be {@link Positions#LATEST}), or an empty map for a live start.
     * Errors: {@link MalformedCursorException} for a cursor that does not fit; {@link ChannelNotReadyException}
     * when a channel's tail has had no partitions for the ready timeout (Kafka unreachable, topic missing);
     * {@link ChannelFailedException} as soon as a channel's tail has failed, without waiting that timeout.
     */
    public Mono<Map<Channel, ChannelStart>> resolve(List<Channel> channels, StartRequest request) {
        if (request.isLive()) {
            return Mono.just(Map.of());
        }
        if (request.cursor() != null) {
            for (Channel channel : request.cursor().channels()) {
                if (!channels.contains(channel)) {
                    return Mono.error(new MalformedCursorException("cursor is for channel '" + channel.name()
                            + "', which this stream does not carry"));
                }
            }
        }
        return Flux.fromIterable(channels)
                .concatMap(channel -> failedTails.unlessFailed(channel, hubs.of(channel).whenAssigned())
                        .timeout(readyTimeout, Mono.error(() -> new ChannelNotReadyException(channel)))
                        .flatMap(tail -> startOf(channel, tail, request))
                        .map(start -> Map.entry(channel, start)))
                .collectList()
                .map(entries -> {
                    Map<Channel, ChannelStart> starts = new LinkedHashMap<>();
                    entries.forEach(e -> starts.put(e.getKey(), e.getValue()));
                    return starts;
                });
    }

    private Mono<ChannelStart> startOf(Channel channel, long[] tail, StartRequest request) {
        int partitions = tail.length;
        // Read before any look-up: offsets found by a look-up that straddles a re-creation are then taken as stale.
        int current = hubs.of(channel).incarnation();
        if (request.cursor() != null) {
            long[] cursor = request.cursor().positions(channel);
            if (cursor == null) {
                return Mono.just(new ChannelStart(latest(partitions), current));
            }
            ChannelStart start = new ChannelStart(cursor, request.cursor().incarnation(channel));
            if (start.staleIn(current)) {
                return Mono.just(start); // of the old topic: not checked against the new one
            }
            if (cursor.length > partitions) {
                return Mono.error(new MalformedCursorException("cursor gives " + cursor.length + " partitions for channel '"
                        + channel.name() + "', whose topic has " + partitions));
            }
            return checkNotBeyondEnd(channel, cursor, tail).map(offsets -> new ChannelStart(offsets, start.incarnation()));
        }
        if (request.since() != null) {
            return unavailableOnFailure(channel, offsets.forTimestamp(channel, partitions, request.since().toEpochMilli()))
                    .map(found -> {
                        long[] start = found.clone();
                        for (int p = 0; p < start.length; p++) {
                            if (start[p] == OffsetLookup.NONE) {
                                start[p] = Positions.LATEST;
                            }
                        }
                        return new ChannelStart(start, current);
                    });
        }
        return unavailableOnFailure(channel, offsets.earliest(channel, partitions))
                .map(start -> new ChannelStart(start, current));
    }

    /** A look-up Kafka did not answer: the client may retry (503), it did nothing wrong. */
    private static Mono<long[]> unavailableOnFailure(Channel channel, Mono<long[]> lookup) {
        return lookup.onErrorMap(e -> !(e instanceof MalformedCursorException), e -> new ChannelNotReadyException(channel));
    }

    /**
     * A cursor ahead of this instance's tail is normal (another instance read further); one beyond the
     * end of the partition was not written by any bridge reading this topic.
     */
    private Mono<long[]> checkNotBeyondEnd(Channel channel, long[] cursor, long[] tail) {
        boolean ahead = false;
        for (int p = 0; p < cursor.length; p++) {
            ahead |= cursor[p] > tail[p];
        }
        if (!ahead) {
            return Mono.just(cursor);
        }
        return offsets.latest(channel, tail.length)
                // Kafka does not answer (an outage): the check cannot be made; a forged cursor then only costs
                // its owner a replay_gap, while refusing would cut off every client of a faster instance.
                .onErrorResume(e -> Mono.just(cursor))
                .flatMap(end -> {
                    for (int p = 0; p < cursor.length; p++) {
                        if (cursor[p] > end[p]) {
                            return Mono.error(new MalformedCursorException("cursor gives offset " + cursor[p]
                                    + " for partition " + p + " of channel '" + channel.name() + "', beyond its end ("
                                    + end[p] + ")"));
                        }
                    }
                    return Mono.just(cursor);
                });
    }

    private static long[] latest(int partitions) {
        long[] start = new long[partitions];
        Arrays.fill(start, Positions.LATEST);
        return start;
    }
}
