package dev.ssebridge.testsupport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Thousands of SSE connections held by one thread with plain NIO: no HTTP library, so nothing between the
 * socket and the count can hold an event back or make one up. Each connection sends a plain HTTP/1.1 GET,
 * reads the response's chunked body, and counts the events it carries by the sequence number in their data
 * ({@code "seq":N}, see {@link #seqOf}), each with the time it arrived.
 *
 * <p>What a connection has seen is written by the selector thread and read by the test thread under the
 * connection's monitor.
 */
public final class SseSwarm implements AutoCloseable {

    /** Sees every counted event, on the selector thread: must be quick. */
    public interface RecordObserver {
        void onRecord(int seq, String data);
    }

    /** One connection's view of its stream. */
    public static final class Connection {
        private final SseSwarm swarm;
        private final SocketChannel socket;
        private final ChunkedSseReader reader;
        private final BitSet seqs = new BitSet();
        private long lastArrivalNanos;
        private int maxSeq = -1;
        private String maxSeqData;
        private java.time.Instant maxSeqArrival;
        private boolean connected;
        private boolean ended;
        private int status;
        private String lastId;

        private Connection(SseSwarm swarm, SocketChannel socket, String eventName) {
            this.swarm = swarm;
            this.socket = socket;
            this.reader = new ChunkedSseReader(this::onStatus, (name, id, data) -> onEvent(eventName, name, id, data));
        }

        private synchronized void onStatus(int code) {
            status = code;
        }

        private synchronized void onEvent(String wanted, String name, String id, String data) {
            if (id != null) {
                lastId = id;
            }
            if ("connected".equals(name)) {
                connected = true;
                swarm.connectedLatch.countDown();
            } else if (wanted.equals(name)) {
                int seq = seqOf(data);
                if (seq >= 0) {
                    seqs.set(seq);
                    lastArrivalNanos = System.nanoTime();
                    if (seq > maxSeq) {
                        maxSeq = seq;
                        maxSeqData = data;
                        maxSeqArrival = java.time.Instant.now();
                    }
                    swarm.observer.onRecord(seq, data);
                }
            } else if ("stream_end".equals(name)) {
                ended = true;
            }
        }

        private synchronized void onClosed() {
            ended = true;
        }

        public synchronized boolean connected() {
            return connected;
        }

        /** Whether the server ended the stream ({@code stream_end}) or the connection closed. */
        public synchronized boolean ended() {
            return ended;
        }

        public synchronized int status() {
            return status;
        }

        public synchronized String lastId() {
            return lastId;
        }

        /** Sequence numbers in {@code [0, count)} this connection has not received. */
        public synchronized int missing(int count) {
            return count - seqs.get(0, count).cardinality();
        }

        /** Sequence numbers in {@code [first, end)} this connection has not received. */
        public synchronized int missing(int first, int end) {
            return end - first - seqs.get(first, end).cardinality();
        }

        /** The highest sequence number received, or -1. */
        public synchronized int maxSeq() {
            return maxSeq;
        }

        /** The data of the event with the highest sequence number, or null. */
        public synchronized String maxSeqData() {
            return maxSeqData;
        }

        /** When the event with the highest sequence number arrived (wall clock), or null. */
        public synchronized java.time.Instant maxSeqArrival() {
            return maxSeqArrival;
        }

        public synchronized boolean has(int seq) {
            return seqs.get(seq);
        }

        /** {@link System#nanoTime()} when the last counted event arrived, or 0. */
        public synchronized long lastArrivalNanos() {
            return lastArrivalNanos;
        }
    }

    private final Selector selector;
    private final Thread thread;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final List<Connection> connections = Collections.synchronizedList(new ArrayList<>());
    private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(64 * 1024);
    private final byte[] bytes = new byte[64 * 1024];
    private volatile boolean running = true;
    private volatile CountDownLatch connectedLatch = new CountDownLatch(0);
    private final int receiveBuffer;
    private final RecordObserver observer;
    /** While set: each round of the selector reads at most this many bytes per connection, then pauses. */
    private volatile int slowReadBytes;

    public SseSwarm() {
        this(0, (seq, data) -> { });
    }

    /**
     * @param receiveBuffer each socket's receive buffer ({@code SO_RCVBUF}), or 0 for the system's: a small one
     *                      makes the server's side of a connection that is read slowly fill up quickly
     * @param observer      sees every counted event
     */
    public SseSwarm(int receiveBuffer, RecordObserver observer) {
        this.receiveBuffer = receiveBuffer;
        this.observer = observer;
        try {
            this.selector = Selector.open();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        this.thread = new Thread(this::loop, "sse-swarm");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Opens {@code count} streams of {@code pathAndQuery} on {@code localhost:port} and waits until each has
     * its {@code connected} event.
     *
     * @param eventName the event whose {@code "seq":N} data is counted
     */
    public List<Connection> open(int port, String pathAndQuery, String eventName, int count, Duration timeout)
            throws InterruptedException {
        CountDownLatch latch = new CountDownLatch(count);
        connectedLatch = latch;
        byte[] request = ("GET " + pathAndQuery + " HTTP/1.1\r\nHost: localhost:" + port
                + "\r\nAccept: text/event-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        List<Connection> opened = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            try {
                SocketChannel socket = SocketChannel.open();
                socket.setOption(StandardSocketOptions.TCP_NODELAY, true);
                if (receiveBuffer > 0) {
                    socket.setOption(StandardSocketOptions.SO_RCVBUF, receiveBuffer);
                }
                // Blocking connect and request, then handed to the selector: simple, and fast on loopback.
                socket.connect(new InetSocketAddress("127.0.0.1", port));
                socket.write(ByteBuffer.wrap(request));
                socket.configureBlocking(false);
                Connection connection = new Connection(this, socket, eventName);
                opened.add(connection);
                tasks.add(() -> register(connection));
            } catch (IOException e) {
                throw new IllegalStateException("connection " + i + " of " + count + " failed", e);
            }
            if (i % 100 == 99) {
                selector.wakeup();
            }
        }
        selector.wakeup();
        connections.addAll(opened);
        if (!latch.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException(latch.getCount() + " of " + count + " streams sent no connected event within "
                    + timeout);
        }
        return opened;
    }

    /**
     * Reads slowly, as clients on a poor network do: at most {@code bytes} per connection per round of the
     * selector, with a millisecond's pause between rounds; 0 reads as fast as data comes again.
     */
    public void readSlowly(int bytes) {
        slowReadBytes = bytes;
        selector.wakeup();
    }

    private void register(Connection connection) {
        try {
            connection.socket.register(selector, SelectionKey.OP_READ, connection);
        } catch (IOException e) {
            connection.onClosed();
        }
    }

    private void loop() {
        while (running) {
            try {
                selector.select(100);
                for (Runnable task = tasks.poll(); task != null; task = tasks.poll()) {
                    task.run();
                }
                int limit = slowReadBytes;
                Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
                while (keys.hasNext()) {
                    SelectionKey key = keys.next();
                    keys.remove();
                    read(key, limit);
                }
                if (limit > 0) {
                    Thread.sleep(1);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (IOException | RuntimeException e) {
                if (running) {
                    throw new IllegalStateException(e);
                }
            }
        }
    }

    private void read(SelectionKey key, int limit) {
        Connection connection = (Connection) key.attachment();
        try {
            for (;;) {
                readBuffer.clear();
                if (limit > 0) {
                    readBuffer.limit(limit);
                }
                int n = connection.socket.read(readBuffer);
                if (n < 0) {
                    key.cancel();
                    connection.socket.close();
                    connection.onClosed();
                    return;
                }
                if (n == 0) {
                    return;
                }
                readBuffer.flip();
                readBuffer.get(bytes, 0, n);
                connection.reader.feed(bytes, n);
                if (limit > 0) {
                    return;
                }
            }
        } catch (IOException e) {
            key.cancel();
            connection.onClosed();
        }
    }

    /** The number after {@code "seq":} in {@code data}, or -1. */
    static int seqOf(String data) {
        int at = data.indexOf("\"seq\":");
        if (at < 0) {
            return -1;
        }
        int i = at + 6;
        while (i < data.length() && data.charAt(i) == ' ') {
            i++;
        }
        int value = 0;
        int digits = 0;
        for (; i < data.length() && Character.isDigit(data.charAt(i)); i++, digits++) {
            value = value * 10 + (data.charAt(i) - '0');
        }
        return digits == 0 ? -1 : value;
    }

    @Override
    public void close() {
        running = false;
        selector.wakeup();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (connections) {
            for (Connection connection : connections) {
                try {
                    connection.socket.close();
                } catch (IOException ignored) {
                    // closing anyway
                }
            }
        }
        try {
            selector.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
