package dev.ssebridge.bridge.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ssebridge.bridge.support.BridgeFixture;
import dev.ssebridge.bridge.support.RunningBridge;
import dev.ssebridge.testsupport.SseEventParser;
import dev.ssebridge.testsupport.TestProducer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.Disposable;
import reactor.netty.http.client.HttpClient;

/**
 * One reader far slower than the stream, beside fast readers. On a channel where every event must arrive: the fast
 * ones get everything, in order, and are never cut off; the slow one is cut off, resumes from its cursor, and in
 * the end has every record exactly once. On a channel that allows conflation: the slow one is not cut off and gets
 * the latest value of every key, each record at most once. (What the slow reader costs the fast ones in latency and the bridge in heap is measured by the
 * {@code slowreader} benchmark, not bounded here: those are figures of a machine, not rules.)
 */
class SlowClientIT {

    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final int FLOOD = 20_000;
    private static final Pattern SEQ = Pattern.compile("\"seq\":(\\d+)");

    @RegisterExtension
    final BridgeFixture fixture = BridgeFixture.withPartitions(1).startedByEachTest();

    @Test
    void aSlowReaderIsCutOffAndResumesWhileTheFastOnesGetEverything() throws Exception {
        String topic = fixture.topic("training");
        // Per-connection bound: 8 MB, so that a fast reader sharing two cores with everything else here
        // rides out a pause of seconds; the slow one falls 1.5 MB/s behind and overflows within seconds.
        RunningBridge bridge = fixture.start(Map.of("bridge.ring.max-bytes", "2MB",
                "bridge.stream.max-pending-bytes", "8MB", "bridge.stream.max-pending-events", "10000",
                "bridge.channels.training.conflation.allowed", "false"));
        TestProducer producer = fixture.producer();
        List<FastReader> fast = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            fast.add(new FastReader(bridge.port()));
        }
        await().atMost(WAIT).until(() -> fast.stream().allMatch(FastReader::connected));

        // A first flood with fast readers only: producer buffers, broker and bridge caches warm up.
        flood(producer, topic, 0, 1);
        await().atMost(WAIT).untilAsserted(() -> assertThat(fast).allSatisfy(r ->
                assertThat(r.count()).as("fast reader ended %s", r.ended()).isEqualTo(FLOOD)));

        SlowReader slow = new SlowReader(bridge.port());
        slow.start();
        await().atMost(WAIT).until(slow::connected);
        flood(producer, topic, FLOOD, 1);
        await().atMost(WAIT).untilAsserted(() -> assertThat(fast).allSatisfy(r ->
                assertThat(r.count()).as("fast reader ended %s", r.ended()).isEqualTo(2 * FLOOD)));
        assertThat(slow.count()).as("the slow reader is still behind").isLessThan(FLOOD);

        await().atMost(WAIT).until(() -> slow.connections() > 1); // cut off at least once, reading slowly
        slow.speedUp();
        await().atMost(WAIT).until(() -> slow.count() >= FLOOD);
        slow.stopReading();
        assertThat(slow.duplicates()).isZero();
        assertThat(slow.seen().cardinality()).isEqualTo(FLOOD);
        assertThat(slow.seen().nextSetBit(0)).isEqualTo(FLOOD);
        assertThat(slow.connections()).as("cut off and resumed").isGreaterThan(1);
        assertThat(bridge.metric("ssebridge_overflow_disconnects_total", "")).isPositive();
        for (FastReader reader : fast) {
            assertThat(reader.ended()).as("a fast reader is never cut off").isFalse();
            assertThat(reader.inOrder()).isTrue();
            reader.close();
        }
    }

    @Test
    void aSlowReaderOfAConflatedChannelIsNotCutOffAndGetsTheLatestValueOfEveryKey() throws Exception {
        String topic = fixture.topic("training");
        int keys = 10;
        RunningBridge bridge = fixture.start(Map.of("bridge.stream.max-pending-events", "200"));
        TestProducer producer = fixture.producer();
        SlowReader slow = new SlowReader(bridge.port());
        slow.start();
        await().atMost(WAIT).until(slow::connected);
        flood(producer, topic, 0, keys);
        // Within the flood every key's last record is one of its last `keys` seqs.
        await().atMost(WAIT).untilAsserted(() -> {
            for (int k = 0; k < keys; k++) {
                assertThat(slow.lastOf(k, keys)).as("key k%d", k).isEqualTo(FLOOD - keys + k);
            }
        });
        slow.stopReading();
        assertThat(slow.connections()).as("never cut off").isEqualTo(1);
        assertThat(slow.duplicates()).isZero();
        assertThat(slow.count()).as("conflated: not every record").isLessThan(FLOOD);
        assertThat(bridge.metric("ssebridge_overflow_disconnects_total", "")).isZero();
        assertThat(bridge.metric("ssebridge_events_conflated_total", "channel=\"training\"")).isPositive();
    }

    /**
     * 20,000 records of 1 KB at about 2,000 a second: 2 MB/s, four times what the slow reader takes; keyed
     * {@code k0}..{@code k<keys-1>} by sequence number.
     */
    private static void flood(TestProducer producer, String topic, int from, int keys) {
        String pad = "x".repeat(1000);
        long start = System.nanoTime();
        for (int seq = from; seq < from + FLOOD; seq++) {
            producer.sendAsync(topic, "k" + (seq % keys), ("{\"seq\":" + seq + ",\"pad\":\"" + pad + "\"}").getBytes(StandardCharsets.UTF_8));
            if (seq % 50 == 49) {
                long due = start + (seq - from + 1) * 500_000L; // 2,000 per second
                LockSupport.parkNanos(due - System.nanoTime());
            }
        }
        producer.flush();
    }

    /** Reads as fast as it can (Reactor Netty), keeping only sequence numbers. */
    private static final class FastReader {
        private final Disposable subscription;
        private final AtomicBoolean connected = new AtomicBoolean();
        private final AtomicBoolean ended = new AtomicBoolean();
        private int[] seqs = new int[4 * FLOOD];
        private volatile int count;

        FastReader(int port) {
            SseEventParser parser = new SseEventParser(this::onEvent);
            subscription = HttpClient.create().get().uri("http://localhost:" + port + "/api/v1/sse/training")
                    .responseContent().asByteArray()
                    .subscribe(bytes -> parser.feed(bytes, 0, bytes.length));
        }

        private void onEvent(SseEventParser.Event event) {
            if (event.name().equals("connected")) {
                connected.set(true);
            } else if (event.name().equals("stream_end")) {
                ended.set(true);
            } else if (event.name().equals("training_progress")) {
                Matcher seq = SEQ.matcher(event.data());
                if (seq.find()) {
                    seqs[count] = Integer.parseInt(seq.group(1));
                    count++;
                }
            }
        }

        boolean connected() {
            return connected.get();
        }

        int count() {
            return count;
        }

        boolean ended() {
            return ended.get();
        }

        boolean inOrder() {
            for (int i = 0; i < count; i++) {
                if (seqs[i] != i) {
                    return false;
                }
            }
            return true;
        }

        void close() {
            subscription.dispose();
        }
    }

    /**
     * Reads its socket at about 500 KB/s, far below the flood's rate, and reconnects like EventSource
     * when the stream ends or the bridge cuts it, sending the last id it got.
     */
    private static final class SlowReader extends Thread {
        private final int port;
        private final BitSet seen = new BitSet();
        private final AtomicInteger duplicates = new AtomicInteger();
        private final AtomicInteger connections = new AtomicInteger();
        private final AtomicBoolean connected = new AtomicBoolean();
        private volatile boolean running = true;
        /** About 500 KB/s (4 KB per 8 ms): a quarter of the flood's rate; 0 once it may catch up at full speed. */
        private volatile long pauseNanos = Duration.ofMillis(8).toNanos();
        private volatile Socket socket;
        private String lastId;

        SlowReader(int port) {
            super("slow-reader");
            this.port = port;
        }

        @Override
        public void run() {
            while (running) {
                try (Socket s = new Socket()) {
                    socket = s;
                    s.setReceiveBufferSize(8192);
                    s.connect(new InetSocketAddress("localhost", port));
                    connections.incrementAndGet();
                    OutputStream out = s.getOutputStream();
                    // Connection: close, so that a stream the bridge ends cleanly ends the socket too (this reader
                    // does not decode chunked transfer encoding, which is what marks the end otherwise).
                    out.write(("GET /api/v1/sse/training HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n"
                            + "Connection: close\r\n"
                            + (lastId == null ? "" : "Last-Event-ID: " + lastId + "\r\n") + "\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
                    SseEventParser parser = new SseEventParser(this::onEvent);
                    InputStream in = s.getInputStream();
                    byte[] buffer = new byte[4096];
                    skipHeaders(in);
                    for (int n = in.read(buffer); n > 0 && running; n = in.read(buffer)) {
                        parser.feed(buffer, 0, n);
                        if (parser.lastId() != null) {
                            lastId = parser.lastId();
                        }
                        long pause = pauseNanos;
                        if (pause > 0) {
                            LockSupport.parkNanos(pause);
                        }
                    }
                } catch (IOException e) {
                    // Cut off by the bridge: reconnect with the last id, as EventSource does.
                }
            }
        }

        /** Chunked transfer encoding puts size lines between chunks; they never start with an SSE field. */
        private static void skipHeaders(InputStream in) throws IOException {
            int state = 0;
            while (state < 4) {
                int b = in.read();
                if (b < 0) {
                    throw new IOException("closed");
                }
                state = (b == '\r' || b == '\n') ? state + 1 : 0;
            }
        }

        private void onEvent(SseEventParser.Event event) {
            if (event.name().equals("connected")) {
                connected.set(true);
            } else if (event.name().equals("training_progress")) {
                Matcher seq = SEQ.matcher(event.data());
                if (seq.find()) {
                    int n = Integer.parseInt(seq.group(1));
                    synchronized (seen) {
                        if (seen.get(n)) {
                            duplicates.incrementAndGet();
                        }
                        seen.set(n);
                    }
                }
            }
        }

        boolean connected() {
            return connected.get();
        }

        int count() {
            synchronized (seen) {
                return seen.cardinality();
            }
        }

        BitSet seen() {
            synchronized (seen) {
                return (BitSet) seen.clone();
            }
        }

        int duplicates() {
            return duplicates.get();
        }

        /** The highest sequence number seen of key {@code k} (seq modulo {@code keys}), or -1. */
        int lastOf(int k, int keys) {
            synchronized (seen) {
                for (int seq = seen.length() - 1; seq >= 0; seq = seen.previousSetBit(seq - 1)) {
                    if (seen.get(seq) && seq % keys == k) {
                        return seq;
                    }
                }
                return -1;
            }
        }

        int connections() {
            return connections.get();
        }

        /**
         * From now on reads as fast as it can: once it has been cut off and is behind, how fast it catches up shows
         * nothing more (at 500 KB/s the flood's 20 MB took 40 s of the test).
         */
        void speedUp() {
            pauseNanos = 0;
        }

        void stopReading() throws IOException {
            running = false;
            socket.close();
        }
    }
}
