package dev.ssebridge.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * The hostile part of the soak's churn, from addresses of its own (127.0.0.4, the flood from 127.0.0.5), so that the
 * bridge's per-address limits meet it as they would meet another network: malformed cursors, oversized headers,
 * unknown channels, expired, forged and missing tokens, and now and then a flood of stream requests from one address.
 * Each is a whole request on a socket of its own, answered or not; what matters is that none gets a 5xx or a 200,
 * and that the well-behaved clients' figures do not move. (Half-written requests left open come from
 * {@link HalfWrittenFlood}, beside this.)
 */
final class SoakHostiles implements AutoCloseable {

    private enum Attempt { MALFORMED_CURSOR, OVERSIZED_HEADER, UNKNOWN_CHANNEL, EXPIRED_TOKEN, FORGED_TOKEN, NO_TOKEN }

    private static final String BIG = "x".repeat(64 * 1024);

    private final int port;
    private final SoakTokens tokens;
    private final SoakRun.Problems problems;
    private final java.util.function.BooleanSupplier restarting;
    private final double perSecond;
    private final long floodEveryNanos;
    private final int floodSize;
    private final Map<String, LongAdder> outcomes = new ConcurrentHashMap<>();
    private final Thread thread;
    private volatile boolean running = true;

    /**
     * @param perSecond hostile requests a second
     * @param floodSize stream requests of each flood from one address, {@code floodEvery} seconds apart
     */
    /** @param restarting whether the bridge or the broker restarts (a 503 is its answer then) */
    SoakHostiles(int port, SoakTokens tokens, SoakRun.Problems problems, java.util.function.BooleanSupplier restarting,
                 double perSecond, int floodEverySeconds, int floodSize) {
        this.port = port;
        this.restarting = restarting;
        this.tokens = tokens;
        this.problems = problems;
        this.perSecond = perSecond;
        this.floodEveryNanos = floodEverySeconds * 1_000_000_000L;
        this.floodSize = floodSize;
        this.thread = new Thread(this::run, "soak-hostiles");
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    private void run() {
        SplittableRandom random = new SplittableRandom(7);
        long start = System.nanoTime();
        long nextFlood = start + floodEveryNanos / 2;
        for (long i = 0; running; i++) {
            Attempt attempt = Attempt.values()[random.nextInt(Attempt.values().length)];
            attempt(attempt);
            if (System.nanoTime() > nextFlood) {
                flood();
                nextFlood += floodEveryNanos;
            }
            LockSupport.parkNanos(start + (long) ((i + 1) * 1e9 / perSecond) - System.nanoTime());
        }
    }

    private void attempt(Attempt attempt) {
        String token = tokens.valid("hostile", System.currentTimeMillis() + 600_000);
        String request = switch (attempt) {
            case MALFORMED_CURSOR -> get("/api/v1/sse/bench", "Authorization: Bearer " + token,
                    "Last-Event-ID: not-a-cursor-%%%");
            case OVERSIZED_HEADER -> get("/api/v1/sse/bench", "Authorization: Bearer " + token, "X-Padding: " + BIG);
            case UNKNOWN_CHANNEL -> get("/api/v1/sse/no-such-channel", "Authorization: Bearer " + token);
            case EXPIRED_TOKEN -> get("/api/v1/sse/bench", "Authorization: Bearer " + tokens.expired("hostile"));
            case FORGED_TOKEN -> get("/api/v1/sse/bench", "Authorization: Bearer " + tokens.forged("hostile"));
            case NO_TOKEN -> get("/api/v1/sse/bench");
        };
        String outcome = statusOf(request, "127.0.0.4");
        outcomes.computeIfAbsent(attempt.name().toLowerCase() + " -> " + outcome, k -> new LongAdder()).increment();
        if (outcome.startsWith("2") || outcome.startsWith("5") && !(outcome.equals("503") && restarting.getAsBoolean())) {
            problems.add("hostile " + attempt + " answered " + outcome);
        }
    }

    /** Stream requests from one address at once, held for a moment: beyond its burst allowance they get a 429. */
    private void flood() {
        String request = get("/api/v1/sse/bench", "Authorization: Bearer "
                + tokens.valid("flood", System.currentTimeMillis() + 600_000));
        List<Socket> open = new ArrayList<>();
        Map<String, Integer> statuses = new TreeMap<>();
        try {
            for (int i = 0; i < floodSize; i++) {
                try {
                    Socket socket = connect("127.0.0.5");
                    socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
                    open.add(socket);
                } catch (IOException e) {
                    statuses.merge("not accepted", 1, Integer::sum);
                }
            }
            for (Socket socket : open) {
                statuses.merge(statusLine(socket), 1, Integer::sum);
            }
        } finally {
            open.forEach(SoakHostiles::closeQuietly);
        }
        statuses.forEach((status, n) -> outcomes.computeIfAbsent("flood of " + floodSize + " -> " + status,
                k -> new LongAdder()).add(n));
        boolean restart = restarting.getAsBoolean();
        if (statuses.keySet().stream().anyMatch(s -> s.startsWith("5") && !(s.equals("503") && restart))) {
            problems.add("a flood of stream requests from one address got " + statuses);
        }
    }

    private String statusOf(String request, String from) {
        try (Socket socket = connect(from)) {
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return statusLine(socket);
        } catch (IOException e) {
            return "no answer (" + e.getClass().getSimpleName() + ")";
        }
    }

    private Socket connect(String from) throws IOException {
        Socket socket = new Socket();
        socket.setSoTimeout(15_000);
        socket.bind(new InetSocketAddress(from, 0));
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        return socket;
    }

    /** The status code of the response's first line, or what happened instead. */
    private static String statusLine(Socket socket) {
        try {
            InputStream in = socket.getInputStream();
            StringBuilder line = new StringBuilder();
            for (int b = in.read(); b != -1 && b != '\n' && line.length() < 200; b = in.read()) {
                line.append((char) b);
            }
            String[] parts = line.toString().trim().split(" ");
            return parts.length >= 2 && parts[0].startsWith("HTTP/") ? parts[1] : "closed without an answer";
        } catch (IOException e) {
            return "no answer (" + e.getClass().getSimpleName() + ")";
        }
    }

    private static String get(String path, String... headers) {
        StringBuilder request = new StringBuilder("GET " + path + " HTTP/1.1\r\nHost: bridge\r\n"
                + "Accept: text/event-stream\r\nConnection: close\r\n");
        for (String header : headers) {
            request.append(header).append("\r\n");
        }
        return request.append("\r\n").toString();
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing a socket of the flood: nothing to do
        }
    }

    /** Outcome ("attempt -> status") -> count. */
    Map<String, Long> outcomes() {
        Map<String, Long> copy = new TreeMap<>();
        outcomes.forEach((k, v) -> copy.put(k, v.sum()));
        return copy;
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(30_000);
    }
}
