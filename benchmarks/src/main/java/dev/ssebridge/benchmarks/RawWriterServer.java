package dev.ssebridge.benchmarks;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * The raw writer: the least code that writes one pre-built SSE frame to N sockets from Netty's epoll loops, with no
 * Reactor, no HTTP codec and no per-write promise. What it spends per delivery is the floor of this machine for a
 * Java server: the kernel's socket write plus Netty's outbound path, and nothing else. {@link FloorServer} is the
 * floor of Reactor Netty; the difference between the two is what Reactor's operators and HTTP handling cost.
 *
 * <p>A connection's request is read up to its blank line (a {@code GET /floor...}; its headers are ignored; any other
 * is a 404), answered with a chunked
 * {@code text/event-stream} head and a {@code :connected} comment, and the channel joins its loop's list. One
 * plain consumer reads the topic from the end; each record becomes one chunk ({@code id:} the server's sequence
 * number, {@code event: bench_event}, the value as {@code data:}) in one direct buffer, shared: each loop writes a
 * duplicate of it to each of its channels with the void promise and flushes each (one {@code write} system call per
 * delivery, the least there is).
 *
 * <p>Every 10 s it prints the fan-out time of the records meanwhile: from the frame's creation to the moment the
 * last loop has handed it to its last socket (p50, p99, max).
 *
 * <pre>java -cp benchmarks.jar -Dloader.main=dev.ssebridge.benchmarks.RawWriterServer
 *     org.springframework.boot.loader.launch.PropertiesLauncher PORT BOOTSTRAP TOPIC [LOOPS]</pre>
 */
public final class RawWriterServer {

    private static final byte[] HEAD = ascii("HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\n"
            + "cache-control: no-cache\r\ntransfer-encoding: chunked\r\n\r\n" + chunkText(":connected\n\n"));

    private static final byte[] NOT_FOUND = ascii("HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\nconnection: close\r\n\r\n");

    private final Map<EventLoop, List<Channel>> streams = new HashMap<>();
    private final Recorder fanout = new Recorder(3);

    private RawWriterServer() {
    }

    public static void main(String[] args) throws InterruptedException {
        int port = Integer.parseInt(args[0]);
        int loops = args.length > 3 ? Integer.parseInt(args[3]) : Math.max(4, Runtime.getRuntime().availableProcessors());
        new RawWriterServer().serve(port, args[1], args[2], loops);
    }

    private void serve(int port, String bootstrap, String topic, int loops) throws InterruptedException {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(loops, EpollIoHandler.newFactory());
        group.forEach(executor -> streams.put((EventLoop) executor, new ArrayList<>()));
        Channel server = new ServerBootstrap().group(group).channel(EpollServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 4096)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        channel.pipeline().addLast(new RequestReader());
                    }
                })
                .bind(port).sync().channel();
        System.out.println("raw writer listening on " + port + " with " + loops + " loops");
        Thread tail = new Thread(() -> TopicFromEnd.read(bootstrap, topic, (value, seq) -> publish(chunk(seq, value))),
                "raw-tail");
        tail.setDaemon(true);
        tail.start();
        Thread report = new Thread(this::report, "raw-report");
        report.setDaemon(true);
        report.start();
        server.closeFuture().sync();
    }

    /** Reads the request up to its blank line, then answers it and makes the channel a stream of its loop. */
    private final class RequestReader extends ChannelInboundHandlerAdapter {
        private final StringBuilder request = new StringBuilder();

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf in = (ByteBuf) msg;
            try {
                request.append(in.toString(StandardCharsets.US_ASCII));
            } finally {
                in.release();
            }
            if (request.indexOf("\r\n\r\n") >= 0) {
                Channel channel = ctx.channel();
                ctx.pipeline().remove(this);
                if (!request.toString().startsWith("GET /floor")) {
                    // The load generator's probes (metrics, status): nothing here but streams.
                    channel.writeAndFlush(Unpooled.wrappedBuffer(NOT_FOUND)).addListener(ChannelFutureListener.CLOSE);
                    return;
                }
                channel.writeAndFlush(Unpooled.wrappedBuffer(HEAD), channel.voidPromise());
                List<Channel> own = streams.get(channel.eventLoop());
                own.add(channel);
                channel.closeFuture().addListener(closed -> own.remove(channel));
            } else if (request.length() > 8192) {
                ctx.close();
            }
        }
    }

    /** Hands one frame to every loop, each writing it to its own streams; the last loop to finish records the time. */
    private void publish(ByteBuf frame) {
        long created = System.nanoTime();
        AtomicLong left = new AtomicLong(streams.size());
        for (Map.Entry<EventLoop, List<Channel>> loop : streams.entrySet()) {
            ByteBuf own = frame.retainedDuplicate();
            loop.getKey().execute(() -> {
                for (Channel channel : loop.getValue()) {
                    channel.write(own.retainedDuplicate(), channel.voidPromise());
                    channel.flush();
                }
                own.release();
                if (left.decrementAndGet() == 0) {
                    fanout.recordValue((System.nanoTime() - created) / 1_000);
                }
            });
        }
        frame.release();
    }

    private void report() {
        Histogram interval = null;
        while (true) {
            try {
                new CountDownLatch(1).await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                return;
            }
            interval = fanout.getIntervalHistogram(interval);
            if (interval.getTotalCount() > 0) {
                int held = streams.values().stream().mapToInt(List::size).sum();
                System.out.printf("fan-out of %d records to ~%d streams: p50 %.1f ms, p99 %.1f ms, max %.1f ms%n",
                        interval.getTotalCount(), held, interval.getValueAtPercentile(50) / 1e3,
                        interval.getValueAtPercentile(99) / 1e3, interval.getMaxValue() / 1e3);
            }
        }
    }

    /** One HTTP chunk holding one SSE event, in a direct buffer. */
    private static ByteBuf chunk(long seq, byte[] value) {
        byte[] head = ascii("id: " + seq + "\nevent: bench_event\ndata: ");
        int size = head.length + value.length + 2;
        byte[] sizeLine = ascii(Integer.toHexString(size) + "\r\n");
        ByteBuf buf = Unpooled.directBuffer(sizeLine.length + size + 2);
        buf.writeBytes(sizeLine).writeBytes(head).writeBytes(value).writeBytes(ascii("\n\n\r\n"));
        return buf;
    }

    private static String chunkText(String text) {
        return Integer.toHexString(text.length()) + "\r\n" + text + "\r\n";
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
