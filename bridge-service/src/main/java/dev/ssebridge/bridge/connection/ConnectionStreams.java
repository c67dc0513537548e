package dev.ssebridge.bridge.connection;

import dev.ssebridge.bridge.channel.Channel;
import dev.ssebridge.bridge.config.BridgeProperties;
import dev.ssebridge.bridge.conflation.Conflation;
import dev.ssebridge.bridge.cursor.CursorCodec;
import dev.ssebridge.bridge.cursor.Positions;
import dev.ssebridge.bridge.cursor.TopicIncarnation;
import dev.ssebridge.bridge.frame.IsoTimestamps;
import dev.ssebridge.bridge.frame.SseFrames;
import dev.ssebridge.bridge.frame.WriteBatches;
import dev.ssebridge.bridge.hub.ChannelHub;
import dev.ssebridge.bridge.hub.ChannelHubs;
import dev.ssebridge.bridge.hub.EventSink;
import dev.ssebridge.bridge.hub.Splice;
import dev.ssebridge.bridge.kafka.ChannelFailedException;
import dev.ssebridge.bridge.kafka.FailedTails;
import dev.ssebridge.bridge.kafka.KafkaReplayReader;
import dev.ssebridge.bridge.kafka.ReplayItem;
import dev.ssebridge.bridge.kafka.ReplayUnavailableException;
import dev.ssebridge.bridge.policy.PolicyScope;
import dev.ssebridge.bridge.policy.RecordPolicies;
import dev.ssebridge.bridge.security.StreamGrant;
import dev.ssebridge.bridge.start.ChannelStart;
import dev.ssebridge.bridge.start.StartRequest;
import dev.ssebridge.bridge.start.StartResolver;
import dev.ssebridge.bridge.state.SnapshotCursor;
import dev.ssebridge.bridge.state.StateSnapshot;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;

/**
 * Assembles the byte stream of one SSE connection: the {@code connected} event, then any replay (from
 * Kafka for partitions older than the ring, then from the ring), then live events and pings from its
 * {@link Outbox}, each with the right {@code id:}, and a final {@code stream_end} event when the bridge
 * ends the stream itself.
 *
 * <p>The splice: the outbox is registered with each channel's hub in the same step that notes the tail's position
 * and plans the replay up to it ({@link ChannelHub#subscribe(EventSink, long[])}), or takes the channel's snapshot
 * ({@link ChannelHub#subscribeWithSnapshot}). Live events queue in the outbox while the replay or snapshot is
 * written; any overlap is dropped by {@link ConnectionPosition}.
 */
public final class ConnectionStreams {

    private static final Logger log = LoggerFactory.getLogger(ConnectionStreams.class);

    private final ChannelHubs hubs;
    private final ConnectionRegistry registry;
    private final CursorCodec codec;
    private final StartResolver starts;
    private final KafkaReplayReader kafkaReplay;
    private final BridgeProperties.StreamProperties settings;
    private final DeliveryMetrics metrics;
    private final Clock clock;
    private final Duration stateWait;
    private final RecordPolicies policies;
    private final Keepalive keepalive;
    private final FailedTails failedTails;
    private final IsoTimestamps timestamps = new IsoTimestamps();

    /**
     * @param stateWait how long a snapshot waits for a channel's state to hold what the topic had when the tail
     *                  started; after it the snapshot holds what the state has (and live events bring the rest)
     */
    ConnectionStreams(ChannelHubs hubs, ConnectionRegistry registry, CursorCodec codec, StartResolver starts,
                      KafkaReplayReader kafkaReplay, BridgeProperties.StreamProperties settings,
                      DeliveryMetrics metrics, Clock clock, Duration stateWait, RecordPolicies policies,
                      Keepalive keepalive, FailedTails failedTails) {
        this.keepalive = keepalive;
        this.failedTails = failedTails;
        this.stateWait = stateWait;
        this.policies = policies;
        this.hubs = hubs;
        this.registry = registry;
        this.codec = codec;
        this.starts = starts;
        this.kafkaReplay = kafkaReplay;
        this.settings = settings;
        this.metrics = metrics;
        this.clock = clock;
    }

    /**
     * The frames of a new connection, once its start has been checked and resolved (errors surface
     * here, before any byte is written, so they become problem responses). A channel whose tail has failed
     * fails the stream at once, whatever its start ({@link ChannelFailedException}): it would never carry a record.
     * Registration happens when the response subscribes; cancelling (the client went away) unregisters the
     * connection and stops any replay.
     *
     * @param params the path parameters of a routed stream, which record policies read
     * @param loop the event loop serving the connection: live events are handed to it (see {@code LoopFanout})
     * @param gate when the socket takes more: snapshots and Kafka replays are produced at its pace
     * @param hold what keeps the stream's family members running until it has registered with their hubs:
     *             disposed once it has (its subscription keeps them from then on), or when it fails or is cancelled
     */
    public Mono<Flux<byte[]>> open(List<Channel> channels, String clientId, StartRequest start, StreamFilter filter,
                            StreamGrant grant, Map<String, String> params, Executor loop, WriteGate gate,
                            StreamOptions options, Disposable hold) {
        List<Channel> replayed = channels.stream().filter(c -> !options.snapshot().contains(c)).toList();
        Mono<Void> ready = Mono.fromRunnable(() -> failedTails.check(channels)).then(statesReady(options.snapshot()));
        return ready.then(starts.resolve(replayed, start)).map(resolved -> Flux.using(
                () -> {
                    try {
                        return register(channels, clientId, resolved, filter, grant, params, loop, options);
                    } finally {
                        hold.dispose();
                    }
                },
                opened -> Flux.merge(
                        // fromSupplier, not just: the frame is not kept for the stream's life
                        Flux.concat(Mono.fromSupplier(() -> connectedFrame(opened)), body(opened, gate))
                                .doFinally(signal -> opened.stalled().tryEmitEmpty()),
                        opened.stalled().asMono().cast(byte[].class)),
                this::unregister))
                .doOnError(e -> hold.dispose())
                .doOnCancel(hold::dispose);
    }

    /** Each item once the socket takes more (see {@link WriteGate}); one produced ahead, not the writer's window. */
    private static Flux<StreamItem> paced(Flux<StreamItem> items, WriteGate gate) {
        return items.concatMap(item -> gate.whenWritable().thenReturn(item), 1);
    }

    /**
     * Waits (a while) until the snapshot channels' states hold what their topics had when their tails started; not
     * for a tail that fails meanwhile.
     */
    private Mono<Void> statesReady(Set<Channel> channels) {
        return Flux.fromIterable(channels)
                .concatMap(channel -> failedTails.unlessFailed(channel,
                        hubs.of(channel).whenStateReady().timeout(stateWait, Mono.just(false))))
                .then();
    }

    /**
     * Per channel: its snapshot and {@code snapshot_end}, or its replay: Kafka first (partitions below the ring),
     * then the ring (the others), then a mark that the channel is at its splice position. Kafka's part must come first: a ring event's tail position counts
     * every partition as delivered up to it, which is only true once Kafka's partitions have been replayed.
     */
    private Flux<byte[]> body(OpenConnection opened, WriteGate gate) {
        Flux<StreamItem> snapshots = Flux.fromIterable(opened.snapshots().entrySet())
                .concatMap(e -> {
                    SnapshotCursor cursor = new SnapshotCursor(e.getValue());
                    return Flux.concat(paced(StreamItem.snapshot(e.getKey(), e.getValue(), cursor), gate),
                            Mono.just(new StreamItem.SnapshotEnd(e.getKey(), e.getValue(), cursor)));
                });
        Flux<StreamItem> replay = Flux.fromIterable(opened.splices().entrySet())
                .concatMap(e -> Flux.concat(
                        Mono.justOrEmpty(opened.recreated().get(e.getKey()))
                                .map(held -> new StreamItem.TopicRecreated(e.getKey(), held)),
                        paced(kafkaReplay.replay(e.getKey(), e.getValue().fromKafka(), e.getValue().tail())
                                .map(ConnectionStreams::item), gate),
                        Flux.fromIterable(StreamItem.runs(e.getValue().fromRing())),
                        Mono.just(new StreamItem.CaughtUp(e.getKey(), e.getValue().tail()))));
        Outbox outbox = opened.connection().outbox();
        return Flux.concat(snapshots, replay, outbox.items())
                .onErrorResume(ReplayUnavailableException.class, e -> Mono.just(new StreamItem.End(StreamEnd.REPLAY_UNAVAILABLE)))
                .handle((item, sink) -> {
                    byte[] frame = item.accept(opened);
                    if (frame != null) {
                        if (!(item instanceof StreamItem.Ping)) {
                            // What the connection writes, not what is offered to it: a filter may skip every event.
                            outbox.wrote(keepalive.now());
                        }
                        metrics.written(frame.length);
                        sink.next(frame);
                    }
                });
    }

    private static StreamItem item(ReplayItem replayed) {
        return replayed instanceof ReplayItem.Records records ? new StreamItem.Replayed(records)
                : new StreamItem.Gap((ReplayItem.Gap) replayed);
    }

    private OpenConnection register(List<Channel> channels, String clientId, Map<Channel, ChannelStart> resolved,
                            StreamFilter asked, StreamGrant grant, Map<String, String> params, Executor loop,
                            StreamOptions options) {
        // Every hub first: one gone (a family member stopped meanwhile) fails the stream with nothing to undo.
        List<ChannelHub> channelHubs = channels.stream().map(hubs::of).toList();
        // The claims were checked when the stream was asked for (StreamOpener): acquiring cannot fail here.
        Map<Channel, PolicyScope> scopes = policies.acquire(channels, grant.claims(), params);
        StreamFilter filter = asked.withScopes(scopes);
        Sinks.Empty<Void> stalled = Sinks.empty();
        Conflation conflation = options.conflation().isEmpty() ? null
                : new Conflation(options.conflation(), filter::accepts, loop, Schedulers.parallel(), System::nanoTime,
                        metrics::conflated);
        Outbox outbox = new Outbox(settings.maxPendingEvents(), settings.maxPendingBytes().toBytes(), () -> {
            metrics.overflowed();
            // The stream_end event waits behind the queued events. A client that drains them gets it; one
            // whose socket takes nothing more (writes not draining) is cut, and resumes from the last event
            // it did receive.
            Mono.delay(settings.stalledWriteTimeout()).subscribe(ignored -> stalled.tryEmitError(
                    new IllegalStateException("client " + clientId + " stopped reading")));
        }, loop, conflation, settings.stalledWriteTimeout().toNanos());
        outbox.wrote(keepalive.now()); // its connected event, written next
        Connection connection = new Connection(grant.owner(), clientId, List.copyOf(channels), outbox, clock.instant());
        List<long[]> positions = new ArrayList<>();
        List<Integer> topics = new ArrayList<>();
        Map<Channel, Splice> splices = new LinkedHashMap<>();
        Map<Channel, StateSnapshot> snapshots = new LinkedHashMap<>();
        Map<Channel, long[]> recreated = new LinkedHashMap<>();
        for (int i = 0; i < channels.size(); i++) {
            Channel channel = channels.get(i);
            ChannelHub hub = channelHubs.get(i);
            // The incarnation the connection subscribes in: read before, checked after (see below).
            int topic = hub.incarnation();
            topics.add(topic);
            ChannelStart from = resolved.get(channel);
            long[] start = from == null ? null : from.offsets();
            if (from != null && from.staleIn(topic)) {
                // Offsets of the topic before it was re-created: the new one from its beginning, and the client told.
                recreated.put(channel, start);
                start = new long[0]; // every partition from Positions.EARLIEST (ChannelHub#subscribe)
            }
            if (options.snapshot().contains(channel)) {
                StateSnapshot snapshot = hub.subscribeWithSnapshot(outbox);
                snapshots.put(channel, snapshot);
                // Until the snapshot's entries move it on, the position is where the snapshot is complete from.
                positions.add(startPositions(snapshot.floor()));
                outbox.live(channel, snapshot.positions());
            } else if (start == null) {
                long[] live = hub.subscribe(outbox);
                positions.add(live);
                outbox.live(channel, live);
            } else {
                Splice splice = hub.subscribe(outbox, start);
                splices.put(channel, splice);
                positions.add(startPositions(splice.start()));
                outbox.live(channel, livePositions(splice));
                if (log.isDebugEnabled()) {
                    log.debug("Client {} resumes channel '{}' from {}: tail {}, {} events from the ring, from Kafka {}",
                            clientId, channel.name(), Arrays.toString(splice.start()), Arrays.toString(splice.tail()),
                            splice.fromRing().size(), splice.fromKafka());
                }
            }
        }
        registry.add(connection);
        for (int i = 0; i < channels.size(); i++) {
            if (TopicIncarnation.differs(topics.get(i), channelHubs.get(i).incarnation())) {
                // Re-created while subscribing: whether before or after this connection joined, its ids name the
                // incarnation read before, so it resumes from the new topic's beginning: never a gap.
                outbox.end(StreamEnd.TOPIC_RECREATED);
            }
        }
        // The stream ends when its token does, after the events queued before it; the client comes back
        // with a fresh token and its cursor.
        Disposable expiry = grant.expiresAt() == null ? Disposables.disposed()
                : Mono.delay(durationUntil(grant.expiresAt())).subscribe(ignored -> outbox.end(StreamEnd.TOKEN_EXPIRED));
        return new OpenConnection(connection, new ConnectionPosition(connection.channels(), positions, topics, codec,
                filter), filter, splices, snapshots, recreated, stalled, expiry, metrics, clock);
    }

    /** Where live events take over from a replay: the tail's position, or the start when that is later. */
    private static long[] livePositions(Splice splice) {
        long[] live = splice.tail().clone();
        long[] start = splice.start();
        for (int p = 0; p < Math.min(live.length, start.length); p++) {
            live[p] = Math.max(live[p], start[p]);
        }
        return live;
    }

    /** A partition replayed from its first held offset counts from 0 until its replay reaches it. */
    private static long[] startPositions(long[] start) {
        long[] positions = start.clone();
        for (int p = 0; p < positions.length; p++) {
            positions[p] = Math.max(positions[p], 0);
        }
        return positions;
    }

    private Duration durationUntil(Instant instant) {
        Duration left = Duration.between(clock.instant(), instant);
        return left.isNegative() ? Duration.ZERO : left;
    }

    private void unregister(OpenConnection opened) {
        opened.expiry().dispose();
        policies.release(opened.filter().scopes());
        Connection connection = opened.connection();
        connection.channels().forEach(channel -> hubs.find(channel).ifPresent(hub -> hub.unsubscribe(connection.outbox())));
        connection.outbox().end(StreamEnd.SHUTDOWN);
        registry.remove(connection);
    }

    private byte[] connectedFrame(OpenConnection opened) {
        Connection connection = opened.connection();
        byte[] event = SseFrames.connectedEvent(connection.clientId(), connection.channels(),
                timestamps.format(clock.millis()));
        byte[] withRetry = WriteBatches.join(List.of(SseFrames.retryLine(retryMillis()), event));
        return opened.position().withId(withRetry, 0);
    }

    /** The reconnection delay for this connection: base plus jitter, so a crowd cut off at once spreads out. */
    private long retryMillis() {
        long jitter = settings.retryJitter().toMillis();
        return settings.retry().toMillis() + (jitter == 0 ? 0 : ThreadLocalRandom.current().nextLong(jitter + 1));
    }
}
