package dev.ssebridge.benchmarks;

import dev.ssebridge.testsupport.SseEventParser;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;

/**
 * One well-behaved client of the soak: a stream of one kind ({@link SoakMix}), kept open through everything the
 * soak does to it, as a real client would: it resumes with its cursor after any end of stream, network error or
 * refusal that says to retry, renews its token when the bridge ends the stream at the token's {@code exp}, and, if it
 * churns, drops its connection at random and comes back.
 *
 * <p>Every event is checked against the one before it, across connections: on an unfiltered stream the cursor moves
 * exactly one partition on by exactly one offset per event (anything else is a lost or repeated record); a
 * {@code where=} stream's records of its one key arrive one per key's turn (seq + keys); a conflated stream's
 * cursor never goes back. {@link #behind} answers the sampler's freshness check. Signals of a connection the client
 * has since dropped are ignored, as a real client ignores a socket it closed.
 */
final class SoakClient {

    /** How long a client may be without a stream beyond the freshness bound: a Retry-After, reconnect pauses. */
    private static final long AWAY_NANOS = Duration.ofSeconds(30).toNanos();
    /** A connection's events count toward latency this long after it opened: before, they may be a replay. */
    private static final long LIVE_AFTER_NANOS = Duration.ofSeconds(5).toNanos();
    private static final Pattern REASON = Pattern.compile("\"reason\":\"([a-z_]+)\"");
    private static final Pattern SEQ = Pattern.compile("\"seq\":(\\d+)");
    private static final Pattern SENT = Pattern.compile("\"sent_us\":(\\d+)");
    private static final Pattern SNAPSHOT_SENT = Pattern.compile("\"sent\":(\\d+)");

    private final int number;
    private final SoakMix.Kind kind;
    private final boolean churns;
    private final HttpClient http;
    private final SoakRun run;
    private final ScheduledExecutorService timers;
    private final SplittableRandom random;

    // Guarded by this: the connection's and the checks' state, touched by the event loop, the timers and the sampler.
    private int generation;
    private Disposable connection;
    private String token;
    private long tokenExpiresAtMillis;
    private SoakCursor cursor; // after the last event accepted; null before the first connected
    private String lastId;
    private long lastSeq = -1; // where: the last record's seq
    // max_rate: per key, the last value received (at the end, each key's latest), and on this connection (where values
    // only get newer: a resume may send again what followed a held value, latest last)
    private final Map<Long, Long> lastSeqOfKey = new HashMap<>();
    private final Map<Long, Long> seqOfKeyThisConnection = new HashMap<>();
    private final Set<Long> snapshotKeys = new HashSet<>(); // snapshot: the keys its values were of
    private boolean snapshotRepeated;
    private long closedSinceNanos = System.nanoTime(); // since when no stream is open (its end or its drop)
    private long fastSinceNanos = System.nanoTime(); // slow kind: when its last slow phase ended
    private boolean inSnapshot;
    private boolean open; // between the 200 and the end of the current connection
    private long openSinceNanos;
    private boolean stopped;
    private boolean settled; // the soak's end: no more drops or slow phases
    private boolean slowNow;
    private boolean reconnecting; // a connect is scheduled: the one for both an end and a drop
    private long connections;
    private long received;

    SoakClient(int number, SoakMix.Kind kind, boolean churns, HttpClient http, SoakRun run,
               ScheduledExecutorService timers, SplittableRandom random) {
        this.number = number;
        this.kind = kind;
        this.churns = churns;
        this.http = http;
        this.run = run;
        this.timers = timers;
        this.random = random;
    }

    /** Opens the first connection, and starts churning and slow phases where the kind asks for them. */
    void start() {
        connect();
        if (churns) {
            scheduleDrop();
        }
        if (kind.slow()) {
            timers.schedule(this::toggleSlow, between(20, 60), TimeUnit.SECONDS);
        }
    }

    /** Connects again after {@code millis}, unless a connect is already due. */
    private synchronized void reconnect(long millis) {
        if (!reconnecting) {
            reconnecting = true;
            timers.schedule(this::connect, millis, TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Opens a connection from where the client is: its cursor, a token valid for a while yet. The one before is
     * closed, if the bridge has not closed it: a client holds one stream at a time.
     */
    private synchronized void connect() {
        reconnecting = false;
        if (stopped) {
            return;
        }
        if (connection != null) {
            connection.dispose();
        }
        int mine = ++generation;
        if (token == null || tokenExpiresAtMillis - System.currentTimeMillis() < 5_000) {
            long life = kind.shortToken() ? run.shortTokenLife().toMillis() : Duration.ofDays(1).toMillis();
            tokenExpiresAtMillis = System.currentTimeMillis() + life;
            token = run.tokens().valid("soak-" + number, tokenExpiresAtMillis);
        }
        String path = kind.path();
        // A resume (with a cursor) asks for no second snapshot: it continues from where the first one was.
        inSnapshot = kind.snapshot() && lastId == null;
        if (inSnapshot) {
            path += (path.contains("?") ? "&" : "?") + "snapshot=true";
        }
        String bearer = token;
        String resumeFrom = lastId;
        connections++;
        open = false;
        SseEventParser parser = new SseEventParser(event -> onEvent(mine, event));
        connection = http.headers(h -> {
                    h.set("Accept", "text/event-stream");
                    h.set("Authorization", "Bearer " + bearer);
                    if (resumeFrom != null) {
                        h.set("Last-Event-ID", resumeFrom);
                    }
                })
                .get().uri(path)
                .response((response, body) -> {
                    int status = response.status().code();
                    if (status != 200) {
                        return body.aggregate().asString().defaultIfEmpty("")
                                .doOnNext(text -> refused(mine, status, response.responseHeaders().get("Retry-After"),
                                        text))
                                .then();
                    }
                    opened(mine);
                    return body.asByteArray()
                            .concatMap(bytes -> slow() ? Mono.delay(Duration.ofSeconds(3)).thenReturn(bytes)
                                    : Mono.just(bytes), 1)
                            .doOnNext(bytes -> parser.feed(bytes, 0, bytes.length))
                            .then();
                })
                .subscribe(null, error -> ended(mine, 200 + random(800)), () -> ended(mine, 200 + random(800)));
    }

    private synchronized boolean slow() {
        return slowNow;
    }

    private synchronized void opened(int mine) {
        if (mine == generation) {
            open = true;
            openSinceNanos = System.nanoTime();
        }
    }

    /**
     * A refusal: 429 says when to come back, and so does 503 while the bridge or the broker restarts (anywhere else it
     * is a problem); a 401 for an expired token asks for a new one.
     */
    private void refused(int mine, int status, String retryAfter, String body) {
        boolean retry = status == 429 || status == 503;
        synchronized (this) {
            if (mine != generation) {
                return;
            }
            if (retry) {
                generation++; // the completion that follows must not reconnect a second time
            } else if (status == 401 && body.contains("expired")) {
                token = null;
            }
        }
        run.counters().refused(status);
        if (status == 503 && !run.restarting().getAsBoolean()) {
            problem("503 away from any restart: " + body);
        } else if (!retry && !(status == 401 && body.contains("expired"))) {
            problem(status + " " + body);
        }
        if (retry) {
            long seconds = retryAfter == null ? 1 : Long.parseLong(retryAfter.trim());
            reconnect(seconds * 1000 + random(1000));
        }
    }

    /** The connection ended (the bridge closed it, a restart, a network error): resume after a moment. */
    private void ended(int mine, long afterMillis) {
        synchronized (this) {
            if (mine != generation) {
                return;
            }
            open = false;
            closedSinceNanos = System.nanoTime();
        }
        reconnect(afterMillis);
    }

    private void onEvent(int mine, SseEventParser.Event event) {
        synchronized (this) {
            if (mine != generation) {
                return; // a dropped connection's last bytes
            }
            try {
                switch (event.name()) {
                    case "connected" -> connected(event);
                    case "ping" -> { }
                    case "snapshot_end" -> snapshotEnd(event);
                    case "stream_end" -> streamEnd(event);
                    case "replay_gap" -> problem("replay_gap " + event.data());
                    default -> record(event);
                }
            } catch (RuntimeException e) {
                // An id that does not decode, say: a problem of the bridge's, not a reason to reconnect quietly.
                problem("unreadable " + event.name() + " (id " + event.lastId() + "): " + e);
                throw e;
            }
        }
    }

    /** Holds this's lock: the first event of every connection; on the first, where the client starts. */
    private void connected(SseEventParser.Event event) {
        seqOfKeyThisConnection.clear();
        if (cursor == null) {
            cursor = SoakCursor.of(event.lastId());
            lastId = event.lastId();
            if (!cursor.incarnations().keySet().equals(kind.tags())) {
                problem("connected with a cursor of channels " + cursor.incarnations().keySet() + ", not "
                        + kind.tags());
            }
        }
    }

    /**
     * Holds this's lock: the snapshot is complete. It had one value per key, as many as it says it sent; live events
     * follow its cursor.
     */
    private void snapshotEnd(SseEventParser.Event event) {
        inSnapshot = false;
        long sent = number(SNAPSHOT_SENT, event.data());
        if (sent != snapshotKeys.size() || snapshotRepeated) {
            problem("snapshot_end says it sent " + sent + " values; " + snapshotKeys.size() + " keys arrived"
                    + (snapshotRepeated ? ", one of them twice" : ""));
        }
        cursor = SoakCursor.of(event.lastId());
        lastId = event.lastId();
    }

    /** Holds this's lock. */
    private void streamEnd(SseEventParser.Event event) {
        Matcher reason = REASON.matcher(event.data());
        String why = reason.find() ? reason.group(1) : "?";
        run.counters().ended(why);
        if (event.lastId() != null && !inSnapshot) {
            // Its id is where to resume: the last event's cursor on an unfiltered stream; on a filtered or conflated
            // one it may have moved on past records this client was not to get, never back.
            SoakCursor end = SoakCursor.of(event.lastId());
            String wrong = kind.check() == SoakMix.Check.EXACT
                    ? (end.equals(cursor) ? null : "it is not the last event's cursor")
                    : (end.equals(cursor) ? null : end.forwardFrom(cursor));
            if (wrong != null) {
                problem("stream_end (" + why + ") at " + event.lastId() + ": " + wrong);
            }
            cursor = end;
            lastId = event.lastId();
        }
        switch (why) {
            case "token_expired" -> token = null;
            case "replaced" -> problem("stream replaced: no other connection has its client id");
            default -> { }
        }
    }

    /** Holds this's lock: a channel's event. */
    private void record(SseEventParser.Event event) {
        received++;
        long sentMicros = number(SENT, event.data());
        run.delivered(sentMicros, !kind.slow() && kind.check() != SoakMix.Check.CONFLATED && !inSnapshot
                && System.nanoTime() - openSinceNanos > LIVE_AFTER_NANOS);
        if (inSnapshot) {
            // The snapshot's values, one per key, each with an id to resume from; checked from snapshot_end on.
            snapshotRepeated |= !snapshotKeys.add(number(SEQ, event.data()) % run.keys());
            cursor = SoakCursor.of(event.lastId());
            lastId = event.lastId();
            return;
        }
        SoakCursor next = SoakCursor.of(event.lastId());
        String wrong = switch (kind.check()) {
            case EXACT -> next.oneStepFrom(cursor);
            case CONFLATED -> conflatedStep(event, next);
            case WHERE -> whereStep(event, next);
        };
        if (wrong == null && kind.check() == SoakMix.Check.EXACT && !run.sameData(next.recordFrom(cursor), event.data())) {
            wrong = "carried other data than the same record did to another client";
        }
        if (wrong != null) {
            problem(event.name() + " at " + event.lastId() + ": " + wrong);
        }
        cursor = next;
        lastId = event.lastId();
    }

    /**
     * A conflated stream: per key, each value newer than the last (a repeat or an older value is a fault), and the
     * cursor never back.
     */
    private String conflatedStep(SseEventParser.Event event, SoakCursor next) {
        long seq = number(SEQ, event.data());
        lastSeqOfKey.put(seq % run.keys(), seq);
        Long before = seqOfKeyThisConnection.put(seq % run.keys(), seq);
        if (before != null && seq <= before) {
            return "record " + seq + " of key task-" + seq % run.keys() + " after " + before + " ("
                    + (seq == before ? "a repeat" : "an older value") + ")";
        }
        return next.equals(cursor) ? null : next.forwardFrom(cursor);
    }

    private String whereStep(SseEventParser.Event event, SoakCursor next) {
        long seq = number(SEQ, event.data());
        String wrong = null;
        if (seq % run.keys() != kind.key()) {
            wrong = "record " + seq + " is not of key task-" + kind.key();
        } else if (lastSeq >= 0 && seq != lastSeq + run.keys()) {
            wrong = "record " + seq + " after " + lastSeq + " (" + (seq <= lastSeq ? "a repeat" : "lost between")
                    + ")";
        }
        lastSeq = seq;
        return wrong != null ? wrong : next.forwardFrom(cursor);
    }

    private void problem(String what) {
        run.problems().add("client " + number + " (" + kind.name() + ", connection " + connections + "): " + what);
    }

    /**
     * The sampler's freshness check: null when the client is not open for {@code bound} yet (it may be resuming, or
     * reading slowly by design) or has every record up to {@code ends}, the end offsets {@code bound} ago; else what it
     * lacks.
     */
    synchronized String behind(Map<Integer, Long> ends, long lastSeqSent, Duration bound) {
        long now = System.nanoTime();
        if (stopped || cursor == null || run.restarting().getAsBoolean()) {
            return null;
        }
        if (!open) {
            // Away for a moment (a drop, an end, a Retry-After of a few seconds) is normal; for long, a stall.
            return now - closedSinceNanos > bound.toNanos() + AWAY_NANOS
                    ? "no stream open for " + (now - closedSinceNanos) / 1_000_000_000 + " s" : null;
        }
        if (slowNow || inSnapshot || now - openSinceNanos < bound.toNanos()
                || now - fastSinceNanos < bound.toNanos()) {
            return null; // reading slowly by design, or not open long enough to have caught up
        }
        if (kind.check() == SoakMix.Check.WHERE) {
            long due = lastSeqSent - Math.floorMod(lastSeqSent - kind.key(), run.keys());
            return due >= 0 && lastSeq < due ? "has record " + lastSeq + " of key task-" + kind.key()
                    + ", not " + due : null;
        }
        return cursor.behind(ends);
    }

    /**
     * The final check, once production stopped: null when the client has every record up to {@code ends} (for a
     * {@code where=} stream: up to the last record of its key, at or before {@code lastSeq}), else what it lacks.
     */
    synchronized String lacks(Map<Integer, Long> ends, long lastSeq) {
        if (cursor == null) {
            return "no connection ever opened";
        }
        if (kind.check() == SoakMix.Check.WHERE) {
            long due = lastSeq - Math.floorMod(lastSeq - kind.key(), run.keys());
            return due < 0 || this.lastSeq >= due ? null
                    : "record " + due + " of key task-" + kind.key() + " (has up to " + this.lastSeq + ")";
        }
        if (kind.check() == SoakMix.Check.CONFLATED) {
            // Conflation's promise: every key ends on its latest value (the cursor may have moved past held ones).
            for (long key = 0; key < run.keys(); key++) {
                long due = lastSeq - Math.floorMod(lastSeq - key, run.keys());
                Long last = lastSeqOfKey.get(key);
                if (due >= 0 && (last == null || last != due)) {
                    return "key task-" + key + " ended on record " + last + ", not its latest, " + due;
                }
            }
        }
        return cursor.behind(ends);
    }

    /** Drops the connection now and then, and comes back a moment later with the cursor. */
    private void scheduleDrop() {
        timers.schedule(() -> {
            synchronized (this) {
                if (stopped || settled) {
                    return;
                }
                generation++;
                open = false;
                closedSinceNanos = System.nanoTime(); // without a stream from now, not from its last end
                if (connection != null) {
                    connection.dispose();
                }
                run.counters().dropped();
            }
            reconnect(random(3000));
            scheduleDrop();
        }, run.churnPeriod().toMillis() / 2 + random(run.churnPeriod().toMillis()), TimeUnit.MILLISECONDS);
    }

    private void toggleSlow() {
        synchronized (this) {
            if (stopped || settled) {
                return;
            }
            slowNow = !slowNow;
            if (!slowNow) {
                fastSinceNanos = System.nanoTime();
            }
        }
        timers.schedule(this::toggleSlow, between(20, 60), TimeUnit.SECONDS);
    }

    /** Stops reading slowly, and churning: the end of the soak, when every client must catch up. */
    synchronized void settle() {
        if (slowNow) {
            fastSinceNanos = System.nanoTime();
        }
        slowNow = false;
        settled = true;
    }

    synchronized void close() {
        stopped = true;
        generation++;
        if (connection != null) {
            connection.dispose();
        }
    }

    synchronized SoakCursor cursor() {
        return cursor;
    }

    synchronized long received() {
        return received;
    }

    synchronized long connections() {
        return connections;
    }

    synchronized boolean isOpen() {
        return open;
    }

    SoakMix.Kind kind() {
        return kind;
    }

    private long random(long bound) {
        synchronized (random) {
            return random.nextLong(bound);
        }
    }

    private long between(int fromSeconds, int toSeconds) {
        return fromSeconds + random(toSeconds - fromSeconds + 1);
    }

    private static long number(Pattern pattern, String data) {
        Matcher m = pattern.matcher(data);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }
}
