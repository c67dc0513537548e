package dev.ssebridge.bridge.stream;

import dev.ssebridge.bridge.connection.WriteGate;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.DefaultByteBufHolder;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpServerCodec;
import java.nio.channels.ClosedChannelException;
import java.util.Queue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;
import reactor.netty.NettyPipeline;
import reactor.netty.http.server.HttpServerResponse;
import reactor.util.concurrent.Queues;

/**
 * Writes a stream's frames straight to its Netty channel as ready-made HTTP/1.1 chunks, below Reactor Netty's send
 * operator and Netty's HTTP encoder. A live event reaches thousands of connections; per connection, those two cost
 * more than the socket write itself: the send operator's queue, promise and request accounting, and the encoder's
 * three buffers and promise combiner per chunk (30% of the event loops' samples at 1,000 x 10 ev/s,
 * benchmarks/RESULTS.md). Here a frame becomes its chunk (size line, frame, CRLF) in a pooled direct buffer, shared by
 * the connections of one event loop ({@link SharedChunks}), written and flushed with the channel's void promise.
 *
 * <p>Order: the frames come from one Reactive Streams publisher (the stream's splice of replay and live events has
 * been decided there), so its signals are serial; on the connection's event loop with nothing waiting, a frame is
 * written at once, otherwise it waits in a queue that the loop drains in order. The end of the stream is a signal
 * like the others: it completes the returned Mono after every frame before it, and Reactor Netty then writes the
 * last chunk.
 *
 * <p>Flow control: frames are asked for {@link #WINDOW} at a time, and only while the channel is writable (its
 * outbound buffer below the high water mark); otherwise the stream's outbox holds them, and its bound decides when
 * a client that does not read has fallen behind. Reactor Netty's send operator keeps up to 128 writes in flight
 * (asking for more as writes complete), and a write completes when it reaches the socket's buffer, so a client that
 * stops reading could leave 128 writes in Netty's buffers beyond the high water mark. (The stream's merge with its
 * stall signal, {@code ConnectionStreams}, takes up to 32 more items from the outbox ahead of either.)
 *
 * <p>The ready-made chunk enters the pipeline just below Netty's HTTP encoder ({@link Unwrapper}), above TLS when
 * there is TLS (with the access log on, at the top, past the encoder); Reactor Netty's last chunk, written after the
 * stream, passes the encoder as usual.
 */
final class ChunkWriter implements CoreSubscriber<byte[]>, Runnable {

    /** Frames asked for ahead while the channel is writable. */
    static final int WINDOW = 16;

    private static final Object COMPLETE = new Object();

    private final Channel channel;
    private final EventLoop loop;
    private final ByteBufAllocator allocator;
    private final SharedChunks chunks;
    private final MonoSink<Void> done;
    private final Unwrapper unwrapper;
    private final WriteGate gate;
    private final Queue<Object> waiting = Queues.unboundedMultiproducer().get();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private volatile Subscription subscription;
    private volatile boolean cancelled;
    private final ChannelFutureListener closed = future -> closedUnderneath();
    private int requested; // frames asked for and not yet taken: the event loop only
    private boolean waitingForSocket; // the event loop only
    private boolean finished; // the event loop only

    private ChunkWriter(Channel channel, SharedChunks chunks, MonoSink<Void> done, Unwrapper unwrapper,
                        WriteGate gate) {
        this.gate = gate;
        this.channel = channel;
        this.chunks = chunks;
        this.loop = channel.eventLoop();
        this.allocator = channel.alloc();
        this.done = done;
        this.unwrapper = unwrapper;
    }

    /**
     * The frames written to the response: as ready-made chunks where the response is HTTP/1.1 chunks straight over
     * Netty's HTTP codec, else through Reactor Netty's send (HTTP/2, which frames its own data; Reactor Netty's own
     * compression, which must see every write).
     *
     * @param chunked counts the responses written as chunks
     */
    static Mono<Void> write(HttpServerResponse response, Flux<byte[]> frames, SharedChunks chunks, Runnable chunked) {
        Channel[] channel = {null};
        response.withConnection(connection -> channel[0] = connection.channel());
        if (channel[0] == null || codecOf(channel[0]) == null
                || !response.responseHeaders().contains(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED,
                        true)) {
            return send(response, frames);
        }
        // The headers first (flushed on their own): Reactor Netty marks them sent, and writes the last chunk after
        // the Mono below completes. Its compression handler, if the server has one, is added with the headers.
        return response.then().then(Mono.defer(() -> {
            if (channel[0].pipeline().get(NettyPipeline.CompressionHandler) != null) {
                return send(response, frames);
            }
            chunked.run();
            return writeTo(channel[0], frames, chunks);
        }));
    }

    /** Reactor Netty's send operator, each write flushed as it is made (else: a flush task per write). */
    private static Mono<Void> send(HttpServerResponse response, Flux<byte[]> frames) {
        return response.send(frames.map(Unpooled::wrappedBuffer), buffer -> true).then();
    }

    /**
     * The HTTP/1.1 server codec's context, or null: found by type, since a server that also speaks h2c adds it
     * under a name of Netty's choosing.
     */
    private static ChannelHandlerContext codecOf(Channel channel) {
        return channel.pipeline().context(HttpServerCodec.class);
    }

    /**
     * The frames written as chunks to a channel whose HTTP/1.1 server codec has sent the headers of a chunked
     * response; completes after the last frame, before the last chunk.
     */
    static Mono<Void> writeTo(Channel channel, Flux<byte[]> frames, SharedChunks chunks) {
        return Mono.create(sink -> {
            ChunkWriter writer = new ChunkWriter(channel, chunks, sink, Unwrapper.of(channel),
                    ChannelWriteGate.of(channel));
            sink.onCancel(writer::cancel);
            frames.subscribe(writer);
        });
    }

    @Override
    public void onSubscribe(Subscription s) {
        subscription = s;
        if (cancelled) {
            s.cancel();
            return;
        }
        if (loop.inEventLoop()) {
            start();
        } else {
            execute(this::start);
        }
    }

    /**
     * The event loop: the first frames are asked for. A channel that closes stops the frames even if Reactor Netty did
     * not cancel them (it does: this is a backstop).
     */
    private void start() {
        if (!finished) {
            channel.closeFuture().addListener(closed);
            askForMore();
        }
    }

    @Override
    public void onNext(byte[] frame) {
        signal(frame);
    }

    @Override
    public void onError(Throwable error) {
        signal(error);
    }

    @Override
    public void onComplete() {
        signal(COMPLETE);
    }

    /** Serial signals from any thread: handled at once on the loop when nothing waits, else queued in order. */
    private void signal(Object signal) {
        if (loop.inEventLoop() && waiting.isEmpty()) {
            handle(signal);
            return;
        }
        waiting.offer(signal);
        if (scheduled.compareAndSet(false, true)) {
            execute(this);
        }
    }

    /** The event loop: handles what waits, in order. */
    @Override
    public void run() {
        scheduled.set(false);
        for (Object signal = waiting.poll(); signal != null; signal = waiting.poll()) {
            handle(signal);
        }
    }

    private void handle(Object signal) {
        if (finished) {
            return;
        }
        if (signal instanceof byte[] frame) {
            requested--;
            // An empty chunk would end the response: a frame is never empty, but this is the one place to be sure.
            if (!cancelled && channel.isActive() && frame.length > 0) {
                unwrapper.write(chunks.chunkOf(frame, loop, allocator));
            }
            askForMore();
            return;
        }
        finished = true;
        channel.closeFuture().removeListener(closed); // a kept-alive connection serves more than one stream
        if (signal == COMPLETE) {
            done.success();
        } else {
            done.error((Throwable) signal);
        }
    }

    /**
     * The event loop: tops the demand up to {@link #WINDOW} once half of it is taken, if the socket takes more; else
     * once the channel's {@link ChannelWriteGate} says it does.
     */
    private void askForMore() {
        if (finished || cancelled || requested > WINDOW / 2 || !channel.isActive()) {
            return;
        }
        if (!channel.isWritable()) {
            if (!waitingForSocket) {
                waitingForSocket = true;
                gate.whenWritable().subscribe(null, null, () -> {
                    waitingForSocket = false;
                    askForMore();
                });
            }
            return;
        }
        int more = WINDOW - requested;
        requested = WINDOW;
        subscription.request(more);
    }

    /**
     * The event loop (a close future's listener): the channel closed with the response still open. The frames stop,
     * and the returned Mono ends: usually Reactor Netty has cancelled it already and the signal goes nowhere, but a
     * write that failed on a broken pipe reaches Reactor Netty as an uncaught exception, which closes the channel
     * without cancelling the response; nothing else would end it then, and what waits for its end (the admission
     * permit, released in its {@code doFinally}) would wait forever. The soak found 26 permits kept so after a
     * restart's reconnect storm.
     */
    private void closedUnderneath() {
        boolean byReactorNetty = cancelled; // then its Mono is cancelled: a signal now would be an error dropped
        cancel();
        if (!finished && !byReactorNetty) {
            finished = true;
            done.error(new ClosedChannelException());
        }
    }

    /** Reactor Netty cancelled the response (the connection closed): stop the frames. */
    private void cancel() {
        cancelled = true;
        Subscription s = subscription;
        if (s != null) {
            s.cancel();
        }
    }

    private void execute(Runnable task) {
        try {
            loop.execute(task);
        } catch (RejectedExecutionException e) {
            // The server is stopping its loops: the connection is ending, and cancellation follows.
        }
    }

    /** A ready-made chunk on its way past the HTTP encoder, which writes only what it knows. */
    static final class Chunk extends DefaultByteBufHolder {

        Chunk(ByteBuf content) {
            super(content);
        }
    }

    /**
     * One per channel, just below the HTTP codec: where the chunks enter the pipeline.
     *
     * <p>A chunk is written from here down (TLS and the socket), past the handlers above, which have nothing to do
     * with it: their write and flush traversal was a tenth of the event loops' samples. With the access log on, it
     * enters at the top instead, so that the log counts its bytes, as a {@link Chunk} that the HTTP encoder passes
     * and this handler turns back into its buffer.
     */
    static final class Unwrapper extends ChannelOutboundHandlerAdapter {

        static final String NAME = "sse-chunks";

        private final boolean throughTheTop;
        private ChannelHandlerContext context;
        private ChannelPromise voidPromise;

        private Unwrapper(boolean throughTheTop) {
            this.throughTheTop = throughTheTop;
        }

        static Unwrapper of(Channel channel) {
            ChannelPipeline pipeline = channel.pipeline();
            if (pipeline.get(NAME) instanceof Unwrapper installed) {
                return installed; // the next stream on a kept-alive connection
            }
            Unwrapper unwrapper = new Unwrapper(pipeline.get(NettyPipeline.AccessLogHandler) != null);
            pipeline.addBefore(codecOf(channel).name(), NAME, unwrapper);
            return unwrapper;
        }

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            context = ctx;
            voidPromise = ctx.voidPromise(); // one for all writes: it notifies nobody
        }

        /** The event loop: one chunk, flushed. */
        void write(ByteBuf chunk) {
            if (throughTheTop) {
                context.channel().writeAndFlush(new Chunk(chunk), voidPromise);
            } else {
                context.writeAndFlush(chunk, voidPromise);
            }
        }

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            ctx.write(msg instanceof Chunk chunk ? chunk.content() : msg, promise);
        }

    }
}
