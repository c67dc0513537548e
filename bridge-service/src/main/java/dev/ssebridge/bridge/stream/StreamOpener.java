package dev.ssebridge.bridge.stream;

import dev.ssebridge.bridge.channel.Channel;
import dev.ssebridge.bridge.channel.Channels;
import dev.ssebridge.bridge.config.BridgeProperties;
import dev.ssebridge.bridge.connection.ConnectionRegistry;
import dev.ssebridge.bridge.connection.ConnectionStreams;
import dev.ssebridge.bridge.connection.Outbox;
import dev.ssebridge.bridge.connection.StreamFilter;
import dev.ssebridge.bridge.connection.StreamOptions;
import dev.ssebridge.bridge.connection.WriteGate;
import dev.ssebridge.bridge.cursor.CursorCodec;
import dev.ssebridge.bridge.kafka.FamilyFullException;
import dev.ssebridge.bridge.kafka.FamilyTails;
import dev.ssebridge.bridge.kafka.TopicNotServedException;
import dev.ssebridge.bridge.policy.RecordPolicies;
import dev.ssebridge.bridge.request.ClientIds;
import dev.ssebridge.bridge.request.FilterRequests;
import dev.ssebridge.bridge.request.ShuttingDownException;
import dev.ssebridge.bridge.request.StartRequests;
import dev.ssebridge.bridge.request.StreamOptionRequests;
import dev.ssebridge.bridge.request.StreamRequest;
import dev.ssebridge.bridge.request.StreamRoutes;
import dev.ssebridge.bridge.request.StreamTarget;
import dev.ssebridge.bridge.request.UnknownStreamException;
import dev.ssebridge.bridge.security.ChannelAccess;
import dev.ssebridge.bridge.start.ChannelNotReadyException;
import dev.ssebridge.bridge.start.StartRequest;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.BiConsumer;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.NettyOutbound;

/**
 * Opens a stream from a request: channels, start, filters, the channel grant, then the connection's frames.
 * Shared by both ways a stream is served ({@link NettyStreamRoute} and {@link SseController}), so that they
 * cannot differ in what they accept or send. Request errors are thrown before any frame exists; the
 * caller turns them into problem responses.
 */
final class StreamOpener {

    /** How long a family member is held for a stream that has not registered with its hub yet, at most. */
    private static final Duration HOLD_LIMIT = Duration.ofSeconds(60);

    private final Channels channels;
    private final ConnectionStreams streams;
    private final ConnectionRegistry registry;
    private final StartRequests startRequests;
    private final FilterRequests filters;
    private final StreamOptionRequests options;
    private final StreamRoutes routes;
    private final ChannelAccess access;
    private final RecordPolicies policies;
    private final FamilyTails familyTails;

    StreamOpener(Channels channels, ConnectionStreams streams, ConnectionRegistry registry, CursorCodec codec,
                 Clock clock, BridgeProperties properties, ChannelAccess access, FilterRequests filters,
                 RecordPolicies policies, FamilyTails familyTails) {
        this.familyTails = familyTails;
        this.policies = policies;
        this.channels = channels;
        this.streams = streams;
        this.registry = registry;
        this.access = access;
        this.startRequests = new StartRequests(codec, clock);
        this.filters = filters;
        this.options = new StreamOptionRequests(properties);
        this.routes = new StreamRoutes(channels, properties);
    }

    /**
     * What {@code /api/v1/sse/<segments>} streams: one channel, those named by {@code channels=}, or a route's
     * channel with its path parameter (see {@link StreamRoutes}).
     */
    StreamTarget targetOf(List<String> segments, List<String> channelsParameter) {
        return routes.target(segments, channelsParameter);
    }

    /**
     * The frames of the stream. Parameter errors are thrown here; grant and start errors arrive as the
     * Mono's error. The security context, if any, comes from the subscriber's Reactor context.
     *
     * @param response the Netty response that writes the stream, or null when the server is not Reactor Netty:
     *                 its event loop takes the live events (see {@code LoopFanout}), its channel's writability
     *                 paces snapshots and replays (see {@link WriteGate})
     */
    Mono<Flux<byte[]>> open(StreamTarget target, StreamRequest request, NettyOutbound response) {
        List<Channel> stream = target.channels();
        Executor loop = response == null ? Outbox.CALLER : eventLoopOf(response);
        WriteGate gate = response == null ? WriteGate.OPEN : ChannelWriteGate.of(response);
        String id = ClientIds.resolve(request.clientId());
        StartRequest start = startRequests.parse(request.lastEventIdHeader(), request.lastEventId(), request.since(),
                request.from());
        StreamFilter filter = filters.parse(stream, request.query()).withKeys(target.keys());
        StreamOptions shape = options.parse(stream, request.query(), start);
        if (registry.isClosing()) {
            throw new ShuttingDownException();
        }
        return access.check(stream).flatMap(grant -> {
            policies.check(stream, grant.claims()); // a claim a policy cannot evaluate: 400, before anything opens
            Channel refused = policies.refusedMember(stream, grant.claims(), target.params());
            if (refused != null) {
                // A family's access rule refuses this caller the topic: the answer a topic that does not exist gets.
                return Mono.error(routes.unknown(refused));
            }
            // A family member's tail runs from here (granted, admitted callers only); the lease keeps it until the
            // stream has registered with its hub, and the subscription from then on. A response that never
            // subscribes (its client left meanwhile) lets go of it after HOLD_LIMIT.
            return familyTails.hold(stream)
                    .onErrorMap(TopicNotServedException.class, e -> routes.unknown(e.member()))
                    .onErrorMap(e -> !(e instanceof UnknownStreamException || e instanceof FamilyFullException),
                            e -> new ChannelNotReadyException(stream.get(0)))
                    .flatMap(lease -> streams.open(stream, id, start, filter, grant, target.params(), loop, gate,
                            shape, withLimit(stream, lease)));
        });
    }

    /** A stream's hold on its family members, let go of after {@link #HOLD_LIMIT} at the latest (none: no timer). */
    private static Disposable withLimit(List<Channel> stream, Disposable lease) {
        if (stream.stream().noneMatch(Channel::isMember)) {
            return lease;
        }
        Disposable expiry = Mono.delay(HOLD_LIMIT).subscribe(ignored -> lease.dispose());
        return Disposables.composite(lease, expiry);
    }

    /** Streams opened, by the server path that serves them: {@code route} or {@code webflux}. */
    static Counter servedCounter(MeterRegistry meters, String by) {
        return Counter.builder("ssebridge.streams.served").tag("by", by)
                .description("Streams opened, by the server path that serves them").register(meters);
    }

    /**
     * The Netty event loop that writes a response, so that live events are handed to it once per loop
     * rather than once per connection (see {@code LoopFanout}).
     */
    private static Executor eventLoopOf(NettyOutbound response) {
        Executor[] loop = {Outbox.CALLER};
        response.withConnection(connection -> loop[0] = connection.channel().eventLoop());
        return loop[0];
    }

    /** The headers of a stream response, beside those the security layer adds to every response. */
    static void streamHeaders(BiConsumer<String, String> header) {
        header.accept("Content-Type", "text/event-stream");
        header.accept("Cache-Control", "no-cache");
        // nginx buffers proxied responses unless told not to
        header.accept("X-Accel-Buffering", "no");
    }
}
