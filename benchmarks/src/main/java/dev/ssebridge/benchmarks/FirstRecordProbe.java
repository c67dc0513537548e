package dev.ssebridge.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.HdrHistogram.Histogram;

/**
 * A client from another address than everybody else, opening a fresh stream again and again: how long it takes,
 * from its connect, to get its {@code connected} event and its first record. What a newcomer experiences while the
 * bridge holds thousands of streams, with or without a flood beside them. A plain socket and a plain reader: no
 * client library between it and the server.
 */
final class FirstRecordProbe implements AutoCloseable {

    private final String localAddress;
    private final int port;
    private final String path;
    private final Thread thread;
    private final Histogram toConnected = new Histogram(60_000, 3);
    private final Histogram toFirstRecord = new Histogram(60_000, 3);
    private volatile boolean running = true;
    private volatile long failures;

    private FirstRecordProbe(String localAddress, int port, String path) {
        this.localAddress = localAddress;
        this.port = port;
        this.path = path;
        this.thread = new Thread(this::run, "first-record-probe");
        this.thread.setDaemon(true);
    }

    static FirstRecordProbe start(String localAddress, int port, String path) {
        FirstRecordProbe probe = new FirstRecordProbe(localAddress, port, path);
        probe.thread.start();
        return probe;
    }

    private void run() {
        while (running) {
            long start = System.nanoTime();
            try (Socket socket = new Socket()) {
                socket.bind(new InetSocketAddress(localAddress, 0));
                socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
                socket.setSoTimeout(30_000);
                OutputStream out = socket.getOutputStream();
                out.write(("GET " + path + " HTTP/1.1\r\nHost: bridge\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                InputStream in = socket.getInputStream();
                boolean connected = false;
                for (String line = line(in); line != null && running; line = line(in)) {
                    if (!connected && line.equals("event: connected")) {
                        record(toConnected, start);
                        connected = true;
                    } else if (connected && line.startsWith("event: ") && !line.equals("event: ping")) {
                        record(toFirstRecord, start);
                        break;
                    }
                }
            } catch (IOException e) {
                failures++;
            }
        }
    }

    private synchronized void record(Histogram histogram, long start) {
        histogram.recordValue(Math.min(60_000, (System.nanoTime() - start) / 1_000_000));
    }

    /** Reads one line (chunk sizes included: what matters is the lines of the SSE events). */
    private static String line(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int b = in.read(); b >= 0; b = in.read()) {
            if (b == '\n') {
                return line.toString().stripTrailing();
            }
            line.append((char) b);
        }
        return null;
    }

    /** The figures so far, then starts counting afresh. */
    synchronized String takeDescription() {
        String text = String.format("connected p50 %d / p99 %d / max %d ms; first record p50 %d / p99 %d / max %d ms "
                        + "(%d streams opened, %d failed)", toConnected.getValueAtPercentile(50),
                toConnected.getValueAtPercentile(99), toConnected.getMaxValue(), toFirstRecord.getValueAtPercentile(50),
                toFirstRecord.getValueAtPercentile(99), toFirstRecord.getMaxValue(), toFirstRecord.getTotalCount(),
                failures);
        toConnected.reset();
        toFirstRecord.reset();
        failures = 0;
        return text;
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(35_000);
    }
}
