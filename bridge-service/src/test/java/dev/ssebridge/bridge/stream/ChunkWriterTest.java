package dev.ssebridge.bridge.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufHolder;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.local.LocalAddress;
import io.netty.channel.local.LocalChannel;
import io.netty.channel.local.LocalIoHandler;
import io.netty.channel.local.LocalServerChannel;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.SignalType;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.netty.NettyPipeline;

/** {@link ChunkWriter} on a Netty channel with the HTTP encoder in its pipeline, as Reactor Netty's server has it. */
class ChunkWriterTest {

    @Test
    void framesLeaveAsChunksTheEncoderFinishesWithTheLastChunk() {
        EmbeddedChannel channel = chunkedResponse();
        AtomicBoolean done = new AtomicBoolean();

        ChunkWriter.writeTo(channel, Flux.just(bytes("data: a\n\n"), bytes("data: the second event\n\n")),
                new SharedChunks()).subscribe(null, null, () -> done.set(true));
        channel.runPendingTasks();
        assertThat(done).isTrue();
        channel.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);

        assertThat(written(channel)).isEqualTo("HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n"
                + "9\r\ndata: a\n\n\r\n"
                + "18\r\ndata: the second event\n\n\r\n"
                + "0\r\n\r\n");
    }

    @Test
    void everySizeLineIsTheFramesLengthInHex() {
        EmbeddedChannel channel = chunkedResponse();
        channel.readOutbound(); // the headers
        int[] lengths = {1, 15, 16, 255, 256, 4095, 4096, 65_537};

        ChunkWriter.writeTo(channel, Flux.fromStream(IntStream.of(lengths).mapToObj(n -> bytes("x".repeat(n)))),
                new SharedChunks()).subscribe();
        channel.runPendingTasks();

        for (int length : lengths) {
            ByteBuf out = channel.readOutbound();
            String chunk = out.toString(StandardCharsets.US_ASCII);
            out.release();
            assertThat(chunk).isEqualTo(Integer.toHexString(length) + "\r\n" + "x".repeat(length) + "\r\n");
        }
    }

    /** With Reactor Netty's access log on, the chunks pass it (it counts what a response wrote) and the encoder. */
    @Test
    void withTheAccessLogOnChunksPassItAndTheEncoder() {
        EmbeddedChannel channel = chunkedResponse();
        AtomicLong logged = new AtomicLong();
        channel.pipeline().addAfter(NettyPipeline.HttpCodec, NettyPipeline.AccessLogHandler,
                new ChannelOutboundHandlerAdapter() {
                    @Override
                    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
                        if (msg instanceof ByteBufHolder holder) {
                            logged.addAndGet(holder.content().readableBytes());
                        }
                        ctx.write(msg, promise);
                    }
                });

        ChunkWriter.writeTo(channel, Flux.just(bytes("data: a\n\n")), new SharedChunks()).subscribe();
        channel.runPendingTasks();

        assertThat(written(channel)).endsWith("\r\n\r\n9\r\ndata: a\n\n\r\n");
        assertThat(logged.get()).isEqualTo("9\r\ndata: a\n\n\r\n".length());
    }

    /**
     * While the socket takes nothing (flushes held back, the outbound buffer above its high water mark), the writer
     * asks for no more than its window; once the buffer drains, it goes on, in order, to the end.
     */
    @Test
    void asksForNoMoreThanItsWindowWhileTheChannelIsNotWritable() {
        EmbeddedChannel channel = chunkedResponse();
        channel.config().setWriteBufferWaterMark(new WriteBufferWaterMark(256, 1024));
        FlushHold hold = new FlushHold();
        channel.pipeline().addFirst(hold);
        AtomicLong requested = new AtomicLong();
        AtomicLong emitted = new AtomicLong();
        byte[] frame = bytes("data: " + "x".repeat(94) + "\n\n"); // 102 bytes, 107 as a chunk
        Flux<byte[]> frames = Flux.range(0, 1000).map(i -> frame)
                .doOnRequest(n -> requested.addAndGet(n)).doOnNext(f -> emitted.incrementAndGet());
        AtomicBoolean done = new AtomicBoolean();

        ChunkWriter.writeTo(channel, frames, new SharedChunks()).subscribe(null, null, () -> done.set(true));
        channel.runPendingTasks();

        assertThat(channel.isWritable()).isFalse();
        // The buffer passed 1,024 bytes at the tenth chunk; what was asked for before that is all it took.
        assertThat(emitted.get()).isBetween(10L, 10L + ChunkWriter.WINDOW);
        assertThat(requested.get()).isEqualTo(emitted.get());
        channel.runPendingTasks();
        assertThat(emitted.get()).as("nothing more while the channel is not writable").isEqualTo(requested.get());

        channel.readOutbound(); // the headers
        hold.release(channel);
        channel.runPendingTasks();

        assertThat(done).isTrue();
        assertThat(emitted.get()).isEqualTo(1000);
        int chunks = 0;
        for (ByteBuf out = channel.readOutbound(); out != null; out = channel.readOutbound()) {
            assertThat(out.toString(StandardCharsets.US_ASCII)).isEqualTo("66\r\n" + new String(frame,
                    StandardCharsets.US_ASCII) + "\r\n");
            out.release();
            chunks++;
        }
        assertThat(chunks).isEqualTo(1000);
    }

    @Test
    void anErrorComesAfterTheFramesBeforeIt() {
        EmbeddedChannel channel = chunkedResponse();
        AtomicReference<Throwable> failed = new AtomicReference<>();

        ChunkWriter.writeTo(channel, Flux.concat(Flux.just(bytes("data: a\n\n")),
                        Flux.error(new IllegalStateException("client stopped reading"))), new SharedChunks())
                .subscribe(null, failed::set);
        channel.runPendingTasks();

        assertThat(failed.get()).hasMessage("client stopped reading");
        assertThat(written(channel)).endsWith("9\r\ndata: a\n\n\r\n");
    }

    @Test
    void cancellingTheResponseCancelsTheFrames() {
        EmbeddedChannel channel = chunkedResponse();
        AtomicBoolean cancelled = new AtomicBoolean();

        Disposable response = ChunkWriter.writeTo(channel, Flux.<byte[]>never().doOnCancel(() -> cancelled.set(true)),
                new SharedChunks()).subscribe();
        channel.runPendingTasks();
        response.dispose();

        assertThat(cancelled).isTrue();
    }

    /**
     * A channel closed under the response without Reactor Netty cancelling it (a broken pipe reaches it as an uncaught
     * exception): the response ends anyway, so what is released at its end (the admission permit) is released.
     */
    @Test
    void aChannelClosedUnderTheResponseEndsIt() {
        EmbeddedChannel channel = chunkedResponse();
        AtomicBoolean cancelled = new AtomicBoolean();
        AtomicReference<SignalType> ended = new AtomicReference<>();

        ChunkWriter.writeTo(channel, Flux.<byte[]>never().doOnCancel(() -> cancelled.set(true)), new SharedChunks())
                .doFinally(ended::set).subscribe(null, error -> { });
        channel.runPendingTasks();
        channel.close();
        channel.runPendingTasks();

        assertThat(cancelled).as("frames cancelled").isTrue();
        assertThat(ended.get()).as("the response's end").isEqualTo(SignalType.ON_ERROR);
    }

    /**
     * Frames emitted in turns from the connection's event loop and from another thread, with a channel on a real
     * loop: they leave in the order emitted, each whole.
     */
    @Test
    void framesFromTheLoopAndFromOtherThreadsLeaveInTheOrderEmitted() throws Exception {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, LocalIoHandler.newFactory());
        Scheduler elsewhere = Schedulers.newSingle("elsewhere");
        try {
            LocalAddress address = new LocalAddress("chunk-writer-" + System.nanoTime());
            CompletableFuture<Channel> accepted = new CompletableFuture<>();
            new ServerBootstrap().group(group).channel(LocalServerChannel.class)
                    .childHandler(new ChannelInitializer<LocalChannel>() {
                        @Override
                        protected void initChannel(LocalChannel channel) {
                            channel.pipeline().addLast(NettyPipeline.HttpCodec, new HttpServerCodec());
                            accepted.complete(channel);
                        }
                    }).bind(address).sync();
            StringBuffer received = new StringBuffer();
            new Bootstrap().group(group).channel(LocalChannel.class).handler(new ChannelInboundHandlerAdapter() {
                @Override
                public void channelRead(ChannelHandlerContext ctx, Object msg) {
                    ByteBuf bytes = (ByteBuf) msg;
                    received.append(bytes.toString(StandardCharsets.US_ASCII));
                    bytes.release();
                }
            }).connect(address).sync();
            Channel channel = accepted.get(5, TimeUnit.SECONDS);
            HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
            HttpUtil.setTransferEncodingChunked(head, true);
            channel.writeAndFlush(head).sync();
            Scheduler onTheLoop = Schedulers.fromExecutor(channel.eventLoop());
            Flux<byte[]> frames = Flux.range(0, 100).concatMap(turn -> Flux.range(turn * 50, 50)
                    .map(n -> bytes("data: " + n + "\n\n"))
                    .publishOn(turn % 2 == 0 ? onTheLoop : elsewhere, 1 + turn % 7));

            ChunkWriter.writeTo(channel, frames, new SharedChunks()).block(Duration.ofSeconds(30));

            StringBuilder expected = new StringBuilder("HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n");
            for (int n = 0; n < 5000; n++) {
                String frame = "data: " + n + "\n\n";
                expected.append(Integer.toHexString(frame.length())).append("\r\n").append(frame).append("\r\n");
            }
            Awaitility.await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(received.toString()).isEqualTo(expected.toString()));
        } finally {
            elsewhere.dispose();
            group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
        }
    }

    /** A channel whose HTTP codec (named as in Reactor Netty's pipeline) has sent a chunked response's head. */
    private static EmbeddedChannel chunkedResponse() {
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.pipeline().addLast(NettyPipeline.HttpCodec, new HttpServerCodec());
        HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        HttpUtil.setTransferEncodingChunked(head, true);
        channel.writeAndFlush(head);
        return channel;
    }

    private static String written(EmbeddedChannel channel) {
        StringBuilder text = new StringBuilder();
        for (ByteBuf out = channel.readOutbound(); out != null; out = channel.readOutbound()) {
            text.append(out.toString(StandardCharsets.US_ASCII));
            out.release();
        }
        return text.toString();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** Next to the socket: keeps every flush back until released, as a socket that takes nothing would. */
    private static final class FlushHold extends ChannelOutboundHandlerAdapter {

        private boolean held = true;

        @Override
        public void flush(ChannelHandlerContext ctx) {
            if (!held) {
                ctx.flush();
            }
        }

        void release(EmbeddedChannel channel) {
            held = false;
            channel.flush();
        }
    }
}
