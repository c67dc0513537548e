package dev.ssebridge.bridge.stream;

import dev.ssebridge.bridge.channel.Channel;
import dev.ssebridge.bridge.config.BridgeProperties;
import dev.ssebridge.bridge.cursor.CursorCodec;
import dev.ssebridge.bridge.event.SseFrames;
import dev.ssebridge.bridge.hub.ChannelEvent;
import dev.ssebridge.bridge.hub.ChannelHubs;
import dev.ssebridge.bridge.hub.Outbox;
import dev.ssebridge.bridge.hub.StreamEnd;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Assembles the byte stream of one SSE connection: the {@code connected} event, then the channel
 * events and pings from its {@link Outbox}, each with the right {@code id:}, and a final
 * {@code stream_end} event when the bridge ends the stream itself.
 */
public final class ConnectionStreams {

    private final ChannelHubs hubs;
    private final ConnectionRegistry registry;
    private final CursorCodec codec;
    private final BridgeProperties.StreamProperties settings;
    private final Clock clock;

    public ConnectionStreams(ChannelHubs hubs, ConnectionRegistry registry, CursorCodec codec,
                             BridgeProperties.StreamProperties settings, Clock clock) {
        this.hubs = hubs;
        this.registry = registry;
        this.codec = codec;
        this.settings = settings;
        this.clock = clock;
    }

    /**
     * The frames of a new connection. Nothing happens until the response subscribes; cancelling
     * (the client went away) unregisters the connection.
     */
    public Flux<byte[]> open(List<Channel> channels, String clientId) {
        return Flux.using(
                () -> register(channels, clientId),
                opened -> Flux.concat(
                        Mono.just(connectedFrame(opened)),
                        opened.connection().outbox().items().handle((item, sink) -> {
                            byte[] frame = render(opened.position(), item);
                            if (frame != null) {
                                sink.next(frame);
                            }
                        })),
                this::unregister);
    }

    private Opened register(List<Channel> channels, String clientId) {
        Outbox outbox = new Outbox(settings.maxPendingEvents(), settings.maxPendingBytes().toBytes());
        Connection connection = new Connection(clientId, List.copyOf(channels), outbox, clock.instant());
        List<long[]> starts = new ArrayList<>();
        for (Channel channel : channels) {
            starts.add(hubs.of(channel).subscribe(outbox));
        }
        registry.add(connection);
        return new Opened(connection, new ConnectionPosition(connection.channels(), starts, codec));
    }

    private void unregister(Opened opened) {
        Connection connection = opened.connection();
        connection.channels().forEach(channel -> hubs.of(channel).unsubscribe(connection.outbox()));
        connection.outbox().end(StreamEnd.SHUTDOWN);
        registry.remove(connection);
    }

    private byte[] render(ConnectionPosition position, Object item) {
        if (item instanceof ChannelEvent event) {
            return position.render(event);
        }
        if (item instanceof byte[] ping) {
            return ping;
        }
        if (item instanceof StreamEnd end) {
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("reason", end.reason());
            data.put("message", end.message());
            return position.withId(SseFrames.controlEvent("stream_end", data, clock.instant()), 0);
        }
        throw new IllegalStateException("unexpected outbox item " + item.getClass());
    }

    private byte[] connectedFrame(Opened opened) {
        Connection connection = opened.connection();
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("client_id", connection.clientId());
        if (connection.channels().size() == 1) {
            data.put("channel", connection.channels().get(0).name());
        }
        data.put("channels", connection.channels().stream().map(Channel::name).toList());
        byte[] event = SseFrames.controlEvent("connected", data, clock.instant());
        byte[] retry = SseFrames.retryLine(retryMillis());
        byte[] withRetry = new byte[retry.length + event.length];
        System.arraycopy(retry, 0, withRetry, 0, retry.length);
        System.arraycopy(event, 0, withRetry, retry.length, event.length);
        return opened.position().withId(withRetry, 0);
    }

    /** The reconnection delay for this connection: base plus jitter, so a crowd cut off at once spreads out. */
    private long retryMillis() {
        long jitter = settings.retryJitter().toMillis();
        return settings.retry().toMillis() + (jitter == 0 ? 0 : ThreadLocalRandom.current().nextLong(jitter + 1));
    }

    private record Opened(Connection connection, ConnectionPosition position) {
    }
}
