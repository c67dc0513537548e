package dev.ssebridge.bridge.history;

import dev.ssebridge.bridge.channel.Channel;
import dev.ssebridge.bridge.connection.StreamFilter;
import dev.ssebridge.bridge.cursor.CursorCodec;
import dev.ssebridge.bridge.frame.ChannelRecord;
import dev.ssebridge.bridge.frame.SseFrames;
import dev.ssebridge.bridge.hub.ChannelEvent;
import dev.ssebridge.bridge.hub.ChannelHub;
import dev.ssebridge.bridge.hub.ChannelHubs;
import dev.ssebridge.bridge.hub.Splice;
import dev.ssebridge.bridge.kafka.ChannelFailedException;
import dev.ssebridge.bridge.kafka.FailedTails;
import dev.ssebridge.bridge.kafka.KafkaReplayReader;
import dev.ssebridge.bridge.kafka.ReplayItem;
import dev.ssebridge.bridge.start.ChannelNotReadyException;
import dev.ssebridge.bridge.start.StartRequest;
import dev.ssebridge.bridge.start.StartResolver;
import java.time.Instant;
import java.util.List;
import reactor.core.publisher.Mono;

/**
 * Answers history queries with the same machinery as a resuming stream: the ring when it holds the
 * requested range, a short-lived Kafka consumer for partitions it does not.
 */
final class History {

    /** A query's answer: where it came from, the events (oldest first) and the cursor to go on live from. */
    record Answer(String source, boolean truncated, List<Event> events, String cursor) {
    }

    /** One event of an answer: its cursor and its envelope. */
    record Event(String id, SseFrames.Envelope envelope) {
    }

    private final ChannelHubs hubs;
    private final StartResolver starts;
    private final KafkaReplayReader kafka;
    private final CursorCodec codec;
    private final FailedTails failedTails;

    History(ChannelHubs hubs, StartResolver starts, KafkaReplayReader kafka, CursorCodec codec,
            FailedTails failedTails) {
        this.failedTails = failedTails;
        this.hubs = hubs;
        this.starts = starts;
        this.kafka = kafka;
        this.codec = codec;
    }

    /**
     * Errors: {@link ChannelFailedException} at once when the channel's tail has failed (what the ring still holds
     * would be answered as if the channel were read); {@link ChannelNotReadyException} when its tail has no partitions.
     *
     * @param since null: what the ring holds now; otherwise records with a timestamp at or after it
     */
    Mono<Answer> query(Channel channel, Instant since, int limit, StreamFilter filter) {
        return Mono.fromRunnable(() -> failedTails.check(List.of(channel)))
                .then(Mono.defer(() -> plan(channel, since, limit, filter)));
    }

    private Mono<Answer> plan(Channel channel, Instant since, int limit, StreamFilter filter) {
        ChannelHub hub = hubs.of(channel);
        Mono<Planned> plan = since == null
                ? Mono.fromSupplier(() -> Planned.of(hub, hub::ringContents))
                : starts.resolve(List.of(channel), new StartRequest(null, since, false))
                        .mapNotNull(resolved -> Planned.of(hub,
                                () -> hub.replayPlan(lastOnly(resolved.get(channel).offsets(), hub, limit, filter))));
        return plan.switchIfEmpty(Mono.error(() -> new ChannelNotReadyException(channel)))
                .flatMap(planned -> collect(channel, planned.topic(), planned.splice(), limit, filter)
                        // The topic was re-created while the answer was collected: its ids would name the wrong one.
                        // Rare; the client asks again (503, Retry-After).
                        .filter(answer -> hub.incarnation() == planned.topic()))
                .switchIfEmpty(Mono.error(() -> new ChannelNotReadyException(channel)));
    }

    /** A plan and the incarnation of the topic it was made in: the same before and after making it. */
    private record Planned(int topic, Splice splice) {

        /** Null when the tail has no partitions yet, or the topic was re-created meanwhile. */
        static Planned of(ChannelHub hub, java.util.function.Supplier<Splice> plan) {
            int before = hub.incarnation();
            Splice splice = plan.get();
            return splice == null || hub.incarnation() != before ? null : new Planned(before, splice);
        }
    }

    /**
     * Without a filter only the last {@code limit} records of each partition can make the answer, so a
     * Kafka read need not start further back than that.
     */
    private static long[] lastOnly(long[] start, ChannelHub hub, int limit, StreamFilter filter) {
        long[] tail = hub.positions();
        if (!filter.isEmpty() && tail != null) {
            return start;
        }
        long[] narrowed = start.clone();
        for (int p = 0; tail != null && p < narrowed.length && p < tail.length; p++) {
            if (narrowed[p] >= 0) {
                narrowed[p] = Math.max(narrowed[p], tail[p] - limit);
            }
        }
        return narrowed;
    }

    private Mono<Answer> collect(Channel channel, int topic, Splice splice, int limit, StreamFilter filter) {
        HistoryWindow window = new HistoryWindow(limit, splice.tail().length);
        return kafka.replay(channel, splice.fromKafka(), splice.tail())
                .doOnNext(item -> {
                    if (item instanceof ReplayItem.Records records) {
                        records.records().forEach(r -> add(window, filter, r));
                    }
                })
                .then(Mono.fromSupplier(() -> {
                    for (ChannelEvent e : splice.fromRing()) {
                        if (filter.accepts(e)) {
                            window.add(new HistoryWindow.Item(e.partition(), e.offset(), e.timestamp(),
                                    SseFrames.envelope(e.frame(), e.bodyOffset())));
                        }
                    }
                    HistoryWindow.Result result = window.finish(splice.tail());
                    List<Event> events = new java.util.ArrayList<>();
                    for (int i = 0; i < result.items().size(); i++) {
                        events.add(new Event(codec.encode(channel, topic, result.positions().get(i)),
                                result.items().get(i).envelope()));
                    }
                    return new Answer(splice.fromKafka().isEmpty() ? "ring" : "kafka", result.truncated(), events,
                            codec.encode(channel, topic, splice.tail()));
                }));
    }

    private static void add(HistoryWindow window, StreamFilter filter, ChannelRecord r) {
        if (filter.accepts(r)) {
            window.add(new HistoryWindow.Item(r.partition(), r.offset(), r.timestamp(), SseFrames.envelope(r.body(), 0)));
        }
    }

}
