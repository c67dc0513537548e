package dev.ssebridge.bridge.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What an attacker does: many TCP connections from one local address, each sent the start of a request and then
 * nothing. One thread watches them all and notes when the server closes each (end of stream or reset), counted from
 * its connect, so a test can say how soon the bridge let go of them.
 */
public final class HalfWrittenFlood implements AutoCloseable {

    /** Bytes a client would send before the blank line that ends a request's headers. */
    public static final byte[] HALF_REQUEST = "GET /api/v1/sse/training HTTP/1.1\r\nHost: x\r\n"
            .getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private final Selector selector;
    private final List<Attempt> attempts = new ArrayList<>();
    private final AtomicInteger open = new AtomicInteger();
    private final ByteBuffer sink = ByteBuffer.allocate(4096);
    private final Thread watcher;
    private volatile boolean closing;

    /** One connection: when it connected, and when the server closed it (0 while open). */
    private static final class Attempt {
        final long connectedAt;
        volatile long closedAt;

        Attempt(long connectedAt) {
            this.connectedAt = connectedAt;
        }
    }

    private HalfWrittenFlood(String localAddress, int port, int count, byte[] firstBytes) throws IOException {
        selector = Selector.open();
        for (int i = 0; i < count; i++) {
            SocketChannel channel = SocketChannel.open();
            channel.bind(new InetSocketAddress(localAddress, 0));
            channel.connect(new InetSocketAddress("127.0.0.1", port));
            Attempt attempt = new Attempt(System.nanoTime());
            attempts.add(attempt);
            try {
                channel.write(ByteBuffer.wrap(firstBytes));
            } catch (IOException e) {
                attempt.closedAt = System.nanoTime(); // refused at once
                channel.close();
                continue;
            }
            channel.configureBlocking(false);
            open.incrementAndGet();
            channel.register(selector, SelectionKey.OP_READ, attempt);
            // Closes are noted as they come while the flood opens, not when it is done opening.
            selector.selectNow();
            noteCloses();
        }
        watcher = new Thread(this::watch, "half-written-flood");
        watcher.setDaemon(true);
        watcher.start();
    }

    /** Opens {@code count} connections from {@code localAddress}, each sent {@code firstBytes}, one after another. */
    public static HalfWrittenFlood open(String localAddress, int port, int count, byte[] firstBytes) {
        try {
            return new HalfWrittenFlood(localAddress, port, count, firstBytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Connections the server has not closed yet. */
    public int stillOpen() {
        return open.get();
    }

    /** For each connection, how long after its connect the server closed it; null for one still open. */
    public List<Duration> closedAfter() {
        List<Duration> result = new ArrayList<>(attempts.size());
        for (Attempt attempt : attempts) {
            long closed = attempt.closedAt;
            result.add(closed == 0 ? null : Duration.ofNanos(closed - attempt.connectedAt));
        }
        return result;
    }

    private void watch() {
        while (!closing) {
            try {
                selector.select(100);
                noteCloses();
            } catch (IOException e) {
                return;
            }
        }
    }

    /** Reads what the selector found ready; a connection that reads as ended or reset is noted closed. */
    private void noteCloses() throws IOException {
        for (SelectionKey key : selector.selectedKeys()) {
            SocketChannel channel = (SocketChannel) key.channel();
            Attempt attempt = (Attempt) key.attachment();
            boolean closed;
            try {
                sink.clear();
                closed = channel.read(sink) < 0;
            } catch (IOException e) {
                closed = true; // reset
            }
            if (closed) {
                attempt.closedAt = System.nanoTime();
                open.decrementAndGet();
                key.cancel();
                channel.close();
            }
        }
        selector.selectedKeys().clear();
    }

    @Override
    public void close() throws IOException {
        closing = true;
        try {
            watcher.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (SelectionKey key : selector.keys()) {
            key.channel().close();
        }
        selector.close();
    }
}
