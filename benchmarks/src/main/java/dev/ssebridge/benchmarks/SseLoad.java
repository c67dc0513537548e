package dev.ssebridge.benchmarks;

import io.netty.channel.ChannelOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import reactor.core.Disposable;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.resources.LoopResources;

/**
 * Many real SSE connections from one process: non-blocking (Reactor Netty, one connection per stream, no
 * pool), parsed by {@link SseScanner}, counted and timed into one {@link Stats}.
 */
final class SseLoad implements AutoCloseable {

    /** One SSE connection. Its counters are written by its event-loop thread only. */
    final class Client implements Receiver {
        private final String path;
        private final SseScanner scanner;
        private volatile Disposable subscription;
        private volatile int records;
        private volatile boolean connected;
        private volatile boolean ended;
        private volatile long maxSeq = -1;
        private final java.util.BitSet seqs = new java.util.BitSet(); // guarded by this
        private long maxSeqLatencyMicros = -1; // guarded by this
        private volatile Throwable lastError;
        private volatile long openedAt;
        private volatile long snapshotEndAt; // nanoTime of snapshot_end, 0 before it
        private volatile int recordsAtSnapshotEnd;
        private volatile int generations;

        private final HttpClient http;

        Client(String path, boolean keepIds, HttpClient http) {
            this.http = http;
            this.path = path;
            this.scanner = new SseScanner(this::onEvent, keepIds);
        }

        private void onEvent(SseScanner.EventKind kind, long seq, long sent) {
            switch (kind) {
                case CONNECTED -> connected = true;
                case RECORD -> {
                    records++;
                    synchronized (this) {
                        if (seq >= 0 && seq < Integer.MAX_VALUE) {
                            seqs.set((int) seq);
                        }
                        if (seq > maxSeq) {
                            maxSeq = seq;
                            maxSeqLatencyMicros = sent > 0 ? Math.max(0, Clocks.nowMicros() - sent) : -1;
                        }
                    }
                    stats.delivered(sent);
                }
                case STREAM_END -> ended = true;
                case SNAPSHOT_END -> {
                    recordsAtSnapshotEnd = records;
                    snapshotEndAt = System.nanoTime();
                }
                default -> { }
            }
        }

        void open(String lastEventId) {
            // A connection replaced by a new one is gone: whatever it still signals (its completion can arrive
            // after the new one opened) must not mark the new one ended, or a resume would open a second one.
            Disposable previous = subscription;
            if (previous != null) {
                previous.dispose();
            }
            int generation = ++generations;
            openedAt = System.nanoTime();
            connected = false;
            ended = false;
            subscription = http
                    .headers(h -> {
                        h.set("Accept", "text/event-stream");
                        if (lastEventId != null) {
                            h.set("Last-Event-ID", lastEventId);
                        }
                    })
                    .get().uri(path)
                    .response((response, body) -> {
                        if (response.status().code() != 200) {
                            stats.error();
                        } else if (connectedOnHeaders) {
                            connected = true;
                        }
                        return body.doOnNext(scanner::feed).then();
                    })
                    .subscribe(ignored -> { }, error -> {
                        if (generation == generations) {
                            stats.error();
                            ended = true;
                            lastError = error;
                        }
                    }, () -> {
                        if (generation == generations) {
                            ended = true;
                        }
                    });
        }

        void close() {
            Disposable s = subscription;
            if (s != null) {
                s.dispose();
            }
        }

        boolean connected() {
            return connected;
        }

        int records() {
            return records;
        }

        @Override
        public synchronized int missing(long first, long end) {
            return (int) (end - first) - seqs.get((int) first, (int) end).cardinality();
        }

        @Override
        public synchronized long latencyOfLast(long seq) {
            return maxSeq == seq ? maxSeqLatencyMicros : -1;
        }

        /** Whether record {@code seq} arrived. */
        synchronized boolean has(long seq) {
            return seqs.get((int) seq);
        }

        /** Nanoseconds from opening to the snapshot_end event, or -1 before it. */
        long snapshotNanos() {
            long at = snapshotEndAt;
            return at == 0 ? -1 : at - openedAt;
        }

        int recordsAtSnapshotEnd() {
            return recordsAtSnapshotEnd;
        }

        boolean ended() {
            return ended;
        }

        Throwable lastError() {
            return lastError;
        }

        String lastId() {
            return scanner.lastId();
        }
    }

    private final LoopResources loops;
    /** One client per local address the connections come from, taken in turn. */
    private final List<HttpClient> https = new ArrayList<>();
    final Stats stats = new Stats();
    private final List<Client> clients = new ArrayList<>();
    private final boolean connectedOnHeaders;

    SseLoad(String baseUrl) {
        this(baseUrl, false);
    }

    SseLoad(String baseUrl, boolean connectedOnHeaders) {
        this(baseUrl, connectedOnHeaders, false);
    }

    /** @param gzip clients send {@code Accept-Encoding: gzip} and inflate what they read, as browsers do */
    SseLoad(String baseUrl, boolean connectedOnHeaders, boolean gzip) {
        this(baseUrl, connectedOnHeaders, gzip, 0);
    }

    /**
     * @param localAddresses 0: connections come from wherever the OS picks (127.0.0.1 on loopback); N: from
     *                       127.0.1.1 to 127.0.1.N in turn, so that a server's caps per address apply as they would
     *                       to N client networks
     */
    SseLoad(String baseUrl, boolean connectedOnHeaders, boolean gzip, int localAddresses) {
        this.connectedOnHeaders = connectedOnHeaders;
        // Threads = cores: the generator shares the machine with the bridge and the broker.
        this.loops = LoopResources.create("load", Runtime.getRuntime().availableProcessors(), true);
        HttpClient http = HttpClient.create(ConnectionProvider.newConnection())
                .runOn(loops)
                .baseUrl(baseUrl)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 30_000)
                .responseTimeout(Duration.ofDays(1))
                .compress(gzip);
        if (localAddresses <= 0) {
            https.add(http);
        }
        for (int a = 1; a <= localAddresses; a++) {
            java.net.InetSocketAddress local = new java.net.InetSocketAddress("127.0.1." + a, 0);
            https.add(http.bindAddress(() -> local));
        }
    }

    /** Opens {@code count} connections to {@code path}, at most {@code perSecond} new ones per second. */
    List<Client> open(int count, String path, int perSecond, boolean keepIds) {
        return open(count, i -> path, perSecond, keepIds);
    }

    /** Opens {@code count} connections, the {@code i}th to {@code pathOf(i)}, at most {@code perSecond} a second. */
    List<Client> open(int count, java.util.function.IntFunction<String> pathOf, int perSecond, boolean keepIds) {
        List<Client> opened = new ArrayList<>(count);
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            Client client = new Client(pathOf.apply(i), keepIds, https.get((clients.size() + i) % https.size()));
            client.open(null);
            opened.add(client);
            long due = start + (long) ((i + 1) * (1_000_000_000.0 / perSecond));
            LockSupport.parkNanos(due - System.nanoTime());
        }
        clients.addAll(opened);
        return opened;
    }

    /** Waits until every client of {@code group} saw its {@code connected} event; false on timeout. */
    static boolean awaitConnected(List<Client> group, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (group.stream().allMatch(Client::connected)) {
                return true;
            }
            LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
        }
        return false;
    }

    static long connectedCount(List<Client> group) {
        return group.stream().filter(Client::connected).count();
    }

    @Override
    public void close() {
        clients.forEach(Client::close);
        loops.disposeLater().block(Duration.ofSeconds(10));
    }
}
