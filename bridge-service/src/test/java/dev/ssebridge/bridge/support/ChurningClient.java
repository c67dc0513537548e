package dev.ssebridge.bridge.support;

import dev.ssebridge.bridge.channel.Channel;
import dev.ssebridge.bridge.channel.Channels;
import dev.ssebridge.bridge.cursor.Cursor;
import dev.ssebridge.bridge.cursor.CursorCodec;
import dev.ssebridge.testsupport.SseEventParser;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import reactor.core.Disposable;
import reactor.netty.http.client.HttpClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * A client that keeps to one set of channels, connecting and leaving at random and resuming with its
 * last id. It keeps which positions it got (per channel and partition) and the events it could not
 * place by their id alone, to place once the topics have been read back.
 */
public final class ChurningClient {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final RunningBridge bridge;
    private final CursorCodec codec;
    private final Channels registry;
    private final SplittableRandom random;
    private final List<String> channels;
    private final Map<String, Map<Integer, BitSet>> seen = new HashMap<>();
    private final Map<String, Map<Integer, BitSet>> expected = new HashMap<>();
    private final List<Unplaced> unplaced = new ArrayList<>();
    private final List<String> faults = new ArrayList<>();
    private final AtomicInteger connections = new AtomicInteger();
    private final DeliveryLedger delivered;
    private long received;
    private volatile boolean churning;
    private volatile Disposable current;
    /**
     * Which connection's events count (guarded by this): a connection's bytes already on their way when it is
     * disposed must not move the cursor on after the next connection resumed from it, or that connection's replay
     * would bring them again, a duplicate of the client's making. A real client stops reading a stream it closed.
     */
    private long generation;
    private String lastId;
    private Cursor lastCursor;
    private String startId;
    private Thread thread;

    /**
     * @param all       the channels it picks its own from (about a third of them, at least one)
     * @param delivered where every client notes the value each position carried
     */
    public ChurningClient(RunningBridge bridge, SplittableRandom random, List<String> all, DeliveryLedger delivered) {
        this.bridge = bridge;
        this.codec = bridge.bean(CursorCodec.class);
        this.registry = bridge.bean(Channels.class);
        this.random = random;
        this.delivered = delivered;
        List<String> mine = new ArrayList<>();
        for (String c : all) {
            if (random.nextInt(3) == 0) {
                mine.add(c);
            }
        }
        this.channels = mine.isEmpty() ? List.of(all.get(random.nextInt(all.size()))) : mine;
        channels.forEach(c -> seen.put(c, new HashMap<>()));
    }

    public void start() {
        churning = true;
        thread = new Thread(this::churn, "soak-client");
        thread.setDaemon(true);
        thread.start();
    }

    private void churn() {
        while (churning) {
            connect();
            LockSupport.parkNanos(Duration.ofMillis(500 + random.nextInt(4500)).toNanos());
            disconnect();
            if (churning) {
                LockSupport.parkNanos(Duration.ofMillis(random.nextInt(3000)).toNanos());
            }
        }
    }

    public void stopChurning() {
        churning = false;
        LockSupport.unpark(thread);
    }

    public void awaitStopped() {
        try {
            thread.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private String path() {
        return channels.size() == 1 ? "/api/v1/sse/" + channels.get(0)
                : "/api/v1/sse/stream?channels=" + String.join(",", channels);
    }

    public synchronized void connect() {
        connections.incrementAndGet();
        long mine = ++generation;
        SseEventParser parser = new SseEventParser(event -> onEvent(mine, event));
        String id = lastId;
        // The stream goes on from the id it resumes with; a first connection has none yet.
        lastCursor = id == null ? null : codec.decode(id);
        current = HttpClient.create()
                .headers(h -> {
                    if (id != null) {
                        h.set("Last-Event-ID", id);
                    }
                })
                .get().uri(bridge.baseUrl() + path())
                .responseContent().asByteArray()
                .subscribe(bytes -> parser.feed(bytes, 0, bytes.length), error -> { }, () -> { });
    }

    public synchronized void disconnect() {
        generation++;
        if (current != null) {
            current.dispose();
            current = null;
        }
    }

    private synchronized void onEvent(long connection, SseEventParser.Event event) {
        if (connection != generation) {
            return; // a disposed connection's last bytes
        }
        Cursor before = lastCursor;
        if (event.lastId() != null && !event.lastId().equals(lastId)) {
            lastId = event.lastId();
            lastCursor = codec.decode(lastId);
        }
        if (event.name().equals("connected") && startId == null) {
            startId = event.lastId();
        }
        String channel = channelOf(event.name());
        if (channel == null) {
            return;
        }
        received++;
        // The record is the one just below the position its id moved on.
        Channel c = registry.require(channel);
        long[] from = before == null ? null : before.positions(c);
        long[] to = lastCursor == null ? null : lastCursor.positions(c);
        List<long[]> candidates = new ArrayList<>();
        for (int p = 0; to != null && p < to.length; p++) {
            boolean moved = from == null ? to[p] > 0 : p >= from.length || to[p] != from[p];
            if (moved) {
                candidates.add(new long[] {p, to[p] - 1});
            }
        }
        int hash = DeliveryLedger.hash(JSON.readTree(event.data()).get("data"));
        if (candidates.size() == 1) {
            got(channel, (int) candidates.get(0)[0], candidates.get(0)[1], hash);
        } else if (candidates.isEmpty()) {
            faults.add(path() + ": a " + event.name() + " event whose id did not move on (" + lastId + ")");
        } else {
            unplaced.add(new Unplaced(channel, candidates, hash));
        }
    }

    private void got(String channel, int partition, long offset, int hash) {
        BitSet bits = seen.get(channel).computeIfAbsent(partition, p -> new BitSet());
        if (bits.get((int) offset)) {
            faults.add(path() + ": " + channel + " partition " + partition + " offset " + offset + " twice");
        }
        bits.set((int) offset);
        if (!delivered.note(channel, partition, offset, hash)) {
            faults.add(path() + ": " + channel + " partition " + partition + " offset " + offset
                    + " carried another value");
        }
    }

    /** Connections it opened so far. */
    public int connections() {
        return connections.get();
    }

    public synchronized long received() {
        return received;
    }

    /**
     * Works out, once the topics have been read back, which records this client must have: those at
     * or after the position its first connection started from. Places the events its ids left open.
     */
    public synchronized void expectEverythingWritten(Map<String, Map<Integer, Map<Long, Integer>>> written) {
        for (Unplaced event : unplaced) {
            List<long[]> matching = event.candidates().stream().filter(at -> Integer.valueOf(event.hash())
                    .equals(written.get(event.channel()).getOrDefault((int) at[0], Map.of()).get(at[1]))).toList();
            if (matching.isEmpty()) {
                faults.add(path() + ": a " + event.channel() + " event matching no record its id points at");
            } else {
                got(event.channel(), (int) matching.get(0)[0], matching.get(0)[1], event.hash());
            }
        }
        unplaced.clear();
        Cursor start = startId == null ? null : codec.decode(startId);
        for (String channel : channels) {
            long[] from = start == null ? null : start.positions(registry.require(channel));
            Map<Integer, BitSet> bits = new HashMap<>();
            written.get(channel).forEach((partition, offsets) -> offsets.keySet().forEach(offset -> {
                if (from == null || partition >= from.length || offset >= from[partition]) {
                    bits.computeIfAbsent(partition, p -> new BitSet()).set(offset.intValue());
                }
            }));
            expected.put(channel, bits);
        }
    }

    public synchronized boolean hasAllExpected() {
        for (String channel : channels) {
            for (var partition : expected.get(channel).entrySet()) {
                BitSet missing = (BitSet) partition.getValue().clone();
                missing.andNot(seen.get(channel).getOrDefault(partition.getKey(), new BitSet()));
                if (!missing.isEmpty()) {
                    return false;
                }
            }
        }
        return true;
    }

    public synchronized List<String> problems() {
        List<String> problems = new ArrayList<>(faults);
        for (String channel : channels) {
            expected.get(channel).forEach((partition, offsets) -> {
                BitSet missing = (BitSet) offsets.clone();
                missing.andNot(seen.get(channel).getOrDefault(partition, new BitSet()));
                if (!missing.isEmpty()) {
                    problems.add(path() + ": missing " + missing.cardinality() + " of " + channel
                            + " partition " + partition + ", first offsets "
                            + missing.stream().limit(10).boxed().toList());
                }
            });
        }
        return problems;
    }

    /** An event whose id moved on in more than one partition (a first event after a stream began without one). */
    private record Unplaced(String channel, List<long[]> candidates, int hash) {
    }

    private static String channelOf(String event) {
        return switch (event) {
            case "training_progress" -> "training";
            case "backtest_progress" -> "backtest";
            case "risk_alert" -> "alerts";
            case "dashboard_update" -> "dashboard";
            default -> null;
        };
    }
}
