package dev.ssebridge.benchmarks;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The attack of issue 29, as a load: from one local address, new connections at a steady rate, each sent a request
 * line and one header and then nothing. One thread opens them and notes how the server ends each: at once (reset at
 * accept: the address is over its share) or later (closed at the header deadline). A connection the server closes is
 * closed here too, so the flood holds no more descriptors than the server lets it.
 */
final class HalfWrittenFlood implements AutoCloseable {

    private static final byte[] HALF_REQUEST = "GET /api/v1/sse/bench HTTP/1.1\r\nHost: x\r\n"
            .getBytes(StandardCharsets.US_ASCII);
    /** A close this soon after connect is a refusal at accept, not the header deadline. */
    private static final long AT_ONCE_NANOS = Duration.ofMillis(500).toNanos();

    private final String localAddress;
    private final int port;
    private final int perSecond;
    private final Thread thread;
    private final AtomicLong opened = new AtomicLong();
    private final AtomicLong failedToOpen = new AtomicLong();
    private final AtomicLong closedAtOnce = new AtomicLong();
    private final AtomicLong closedLater = new AtomicLong();
    private final AtomicLong longestHeldMillis = new AtomicLong();
    private volatile boolean running = true;
    private int open;

    private HalfWrittenFlood(String localAddress, int port, int perSecond) {
        this.localAddress = localAddress;
        this.port = port;
        this.perSecond = perSecond;
        this.thread = new Thread(this::run, "half-written-flood");
        this.thread.setDaemon(true);
    }

    static HalfWrittenFlood start(String localAddress, int port, int perSecond) {
        HalfWrittenFlood flood = new HalfWrittenFlood(localAddress, port, perSecond);
        flood.thread.start();
        return flood;
    }

    private void run() {
        try (Selector selector = Selector.open()) {
            long interval = 1_000_000_000L / perSecond;
            long next = System.nanoTime();
            ByteBuffer sink = ByteBuffer.allocate(4096);
            while (running) {
                long now = System.nanoTime();
                while (now >= next && running) {
                    openOne(selector);
                    next += interval;
                }
                selector.select(Math.max(1, (next - System.nanoTime()) / 1_000_000));
                for (SelectionKey key : selector.selectedKeys()) {
                    SocketChannel channel = (SocketChannel) key.channel();
                    boolean closed;
                    try {
                        sink.clear();
                        closed = channel.read(sink) < 0;
                    } catch (IOException e) {
                        closed = true;
                    }
                    if (closed) {
                        long held = System.nanoTime() - (Long) key.attachment();
                        (held < AT_ONCE_NANOS ? closedAtOnce : closedLater).incrementAndGet();
                        longestHeldMillis.accumulateAndGet(held / 1_000_000, Math::max);
                        key.cancel();
                        channel.close();
                        open--;
                    }
                }
                selector.selectedKeys().clear();
            }
            for (SelectionKey key : selector.keys()) {
                key.channel().close();
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private void openOne(Selector selector) {
        try {
            SocketChannel channel = SocketChannel.open();
            channel.bind(new InetSocketAddress(localAddress, 0));
            channel.connect(new InetSocketAddress("127.0.0.1", port));
            long connectedAt = System.nanoTime();
            opened.incrementAndGet();
            try {
                channel.write(ByteBuffer.wrap(HALF_REQUEST));
            } catch (IOException e) {
                closedAtOnce.incrementAndGet();
                channel.close();
                return;
            }
            channel.configureBlocking(false);
            channel.register(selector, SelectionKey.OP_READ, connectedAt);
            open++;
        } catch (IOException e) {
            failedToOpen.incrementAndGet(); // the local port range, or the bridge's backlog, ran out
        }
    }

    /** What the flood saw, for the report. */
    String describe() {
        return String.format("%d opened at %d/s from %s, %d not even connected; the server reset %d at once and closed "
                        + "%d later (longest held %d ms); %d still open", opened.get(), perSecond, localAddress,
                failedToOpen.get(), closedAtOnce.get(), closedLater.get(), longestHeldMillis.get(), open);
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(10_000);
    }
}
