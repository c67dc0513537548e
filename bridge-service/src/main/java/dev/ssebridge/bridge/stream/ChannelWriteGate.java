package dev.ssebridge.bridge.stream;

import dev.ssebridge.bridge.connection.WriteGate;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.ArrayList;
import java.util.List;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;
import reactor.netty.NettyOutbound;

/**
 * A {@link WriteGate} on a response's Netty channel: open while the channel is writable (its outbound buffer below
 * the high water mark, 64 KB by default), else open again when Netty says it is writable or inactive. Snapshots and
 * Kafka replays wait on it, and so does the route's {@link ChunkWriter} once its socket is full.
 *
 * <p>The check runs as a task on the channel's event loop, behind the write of what the stream emitted before, so
 * it sees that write in the channel's writability. Waiters are touched on the event loop only.
 */
final class ChannelWriteGate extends ChannelInboundHandlerAdapter implements WriteGate {

    private static final String NAME = "sse-write-gate";

    private final Channel channel;
    private final List<MonoSink<Void>> waiting = new ArrayList<>();

    ChannelWriteGate(Channel channel) {
        this.channel = channel;
    }

    /** The gate of the response's channel, or {@link WriteGate#OPEN} when it has none. */
    static WriteGate of(NettyOutbound response) {
        WriteGate[] gate = {WriteGate.OPEN};
        response.withConnection(connection -> {
            // One per channel: a request the route handed to WebFlux, or the next request on a kept-alive
            // connection, finds the one already there (Reactor Netty skips a second handler of the same name).
            ChannelWriteGate installed = installedOn(connection.channel());
            if (installed == null) {
                installed = new ChannelWriteGate(connection.channel());
                connection.addHandlerLast(NAME, installed);
            }
            gate[0] = installed;
        });
        return gate[0];
    }

    /**
     * The gate of a channel: the one its stream installed ({@link #of(NettyOutbound)}), else one added at the
     * pipeline's end (a channel that is not Reactor Netty's).
     */
    static ChannelWriteGate of(Channel channel) {
        ChannelWriteGate installed = installedOn(channel);
        if (installed == null) {
            installed = new ChannelWriteGate(channel);
            channel.pipeline().addLast(NAME, installed);
        }
        return installed;
    }

    private static ChannelWriteGate installedOn(Channel channel) {
        return channel.pipeline().get(NAME) instanceof ChannelWriteGate installed ? installed : null;
    }

    @Override
    public Mono<Void> whenWritable() {
        return Mono.create(sink -> channel.eventLoop().execute(() -> {
            if (channel.isWritable() || !channel.isActive()) {
                sink.success();
            } else {
                waiting.add(sink);
                // A stream cancelled while it waits (the client left) must not stay in the list.
                sink.onCancel(() -> channel.eventLoop().execute(() -> waiting.remove(sink)));
            }
        }));
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable()) {
            release();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        release();
        ctx.fireChannelInactive();
    }

    private void release() {
        if (waiting.isEmpty()) {
            return;
        }
        List<MonoSink<Void>> ready = new ArrayList<>(waiting);
        waiting.clear();
        ready.forEach(MonoSink::success);
    }
}
