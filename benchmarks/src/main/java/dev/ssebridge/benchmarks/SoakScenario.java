package dev.ssebridge.benchmarks;

import io.netty.channel.ChannelOption;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.resources.LoopResources;

/**
 * The soak (benchmarks/README.md): the whole product at once for a long time, checked all the while. A broker, the
 * simulators at demo rates and the bridge, each a process of its own ({@link SoakStack}); a timestamped topic at a
 * fixed rate; {@code --clients} clients of every kind ({@link SoakMix}) that churn, renew tokens and read slowly at
 * times; hostile requests beside them ({@link SoakHostiles}, {@link HalfWrittenFlood}); the broker restarted, later
 * the bridge. Every event is checked as it arrives ({@link SoakClient}), freshness every interval
 * ({@link SoakSampler}), and at the end every client must have every record. It writes samples.csv, four charts
 * and report.md (figures, trends, verdict) to {@code --soak-dir}, and fails when anything was lost, repeated or
 * stalled, or a hostile request got a 5xx.
 */
final class SoakScenario implements Scenario {

    private static final String TOPIC = "soak.bench";
    private static final String SECRET = "soak-secret-of-at-least-32-bytes-0123456789ab";
    private static final Map<String, String> SEED_TOPICS = Map.of("training", "mystocks.training.progress",
            "backtest", "mystocks.backtest.progress", "alerts", "mystocks.risk.alerts",
            "dashboard", "mystocks.portfolio.updates");

    private final Options options;
    private final Path dir;
    private final Duration duration;
    private final Map<Double, String> events = new TreeMap<>();
    private long start = System.nanoTime(); // reset once the clients are open: the soak's minutes count from there

    SoakScenario(Options options) {
        this.options = options;
        this.dir = Path.of(options.text("soak-dir")).toAbsolutePath();
        this.duration = options.duration("duration");
    }

    @Override
    public boolean run() throws Exception {
        // The broker's restart is deliberate: the soak's own Kafka clients' warnings about it would bury its lines.
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("org.apache.kafka"))
                .setLevel(ch.qos.logback.classic.Level.ERROR);
        clean(dir);
        Files.createDirectories(dir);
        int keys = options.integer("keys");
        SoakTokens tokens = new SoakTokens(SECRET);
        long seed = options.number("seed");
        log("stack in " + dir);
        try (SoakStack stack = stack()) {
            SoakRun run = SoakRun.of(keys, options.duration("token-life"), options.duration("churn-period"), tokens,
                    stack::restarting);
            stack.startBroker();
            BenchProducer.createTopic(stack.bootstrap(), TOPIC, 3);
            stack.startSimulators(seed);
            stack.startBridge();
            long baselineThreads = new BridgeProbe(stack.bridgeUrl(), stack.bridgePid()).threads();
            BenchProducer producer = new BenchProducer(stack.bootstrap(), TOPIC, false, BenchProducer.TYPICAL_PAD,
                    BenchValues.of("json"), keys, true);
            AtomicBoolean producing = new AtomicBoolean(true);
            Thread production = new Thread(() -> {
                while (producing.get()) {
                    producer.sendAtRate(options.integer("rate"), options.integer("rate"));
                }
            }, "soak-producer");
            production.start();

            LoopResources loops = LoopResources.create("soak", Runtime.getRuntime().availableProcessors(), true);
            ScheduledExecutorService timers = Executors.newScheduledThreadPool(2);
            List<SoakClient> clients = new ArrayList<>();
            Map<String, String> topicOfChannel = new LinkedHashMap<>(SEED_TOPICS);
            topicOfChannel.put(SoakMix.BENCH, TOPIC);
            topicOfChannel.put(SoakMix.CONFLATED_BENCH, TOPIC);
            SoakSampler sampler = new SoakSampler(stack, run, clients, topicOfChannel, producer::lastAcked,
                    options.duration("fresh-within"), dir.resolve("samples.csv"), start);
            int count = options.integer("clients");
            int addresses = Math.max(1, options.integer("local-addresses"));
            SplittableRandom seeds = new SplittableRandom(seed);
            log("opening " + count + " clients from " + addresses + " addresses");
            for (int i = 0; i < count; i++) {
                SoakMix.Kind kind = SoakMix.kindOf(i, keys);
                SoakClient client = new SoakClient(i, kind, SoakMix.churns(i),
                        http(stack.bridgeUrl(), loops, "127.0.1." + (1 + i % addresses), kind), run, timers,
                        seeds.split());
                clients.add(client);
                client.start();
                LockSupport.parkNanos((long) (1e9 / options.integer("connect-rate")));
            }
            start = System.nanoTime();
            log("clients open");
            SoakHostiles hostiles = new SoakHostiles(stack.bridgePort(), tokens, run.problems(), stack::restarting,
                    Double.parseDouble(options.text("hostile-rate")), options.integer("flood-every"),
                    options.integer("flood-size"));
            hostiles.start();
            HalfWrittenFlood halfWritten = HalfWrittenFlood.start("127.0.0.3", stack.bridgePort(),
                    options.integer("half-written-rate"));

            Thread restarts = restarts(stack);
            restarts.start();
            Duration every = options.duration("sample-every");
            long end = start + duration.toNanos();
            for (long next = System.nanoTime() + every.toNanos(); next < end; next += every.toNanos()) {
                LockSupport.parkNanos(next - System.nanoTime());
                progress(sampler.sample());
            }
            restarts.join();
            mark("soak time over");
            log("hostiles stop, clients settle, producers stop");
            hostiles.close();
            halfWritten.close();
            clients.forEach(SoakClient::settle);
            producing.set(false);
            production.join();
            producer.close();
            stack.stopSimulators();
            Map<Integer, Long> ends = sampler.endsNow();
            long lastSeq = producer.lastAcked();
            String caughtUp = catchUp(clients, ends, lastSeq, run);
            log(caughtUp);
            progress(sampler.sample());
            clients.forEach(SoakClient::close);
            String leftOpen = awaitNoStreams(stack, options.duration("ping-interval"));
            long endThreads = new BridgeProbe(stack.bridgeUrl(), stack.bridgePid()).threads();
            if (producer.failed() > 0) {
                run.problems().add(producer.failed() + " timestamped records were never acknowledged by Kafka");
            }
            List<SoakSampler.Sample> samples = sampler.samples();
            sampler.close();
            timers.shutdownNow();
            loops.disposeLater().block(Duration.ofSeconds(10));
            SoakPlots.draw(dir, samples, events);
            SoakReport report = new SoakReport(options, duration, samples, events, run, clients, hostiles.outcomes(),
                    halfWritten.describe(), caughtUp, leftOpen, baselineThreads, endThreads);
            String text = report.markdown();
            Files.writeString(dir.resolve("report.md"), text);
            System.out.println(text);
            return report.passed();
        }
    }

    private SoakStack stack() {
        String java = options.text("bridge-java").isEmpty()
                ? Path.of(System.getProperty("java.home"), "bin", "java").toString() : options.text("bridge-java");
        List<String> jvm = options.text("bridge-opts").isBlank() ? List.of()
                : Arrays.asList(options.text("bridge-opts").trim().split("\\s+"));
        List<String> settings = new ArrayList<>(List.of(
                "--bridge.channels.bench.topic=" + TOPIC, "--bridge.channels.bench.event-name=bench_event",
                "--bridge.channels.bench.snapshot.enabled=true",
                "--bridge.channels.benchc.topic=" + TOPIC, "--bridge.channels.benchc.event-name=bench_event",
                "--bridge.channels.benchc.conflation.allowed=true",
                // Each client is checked for every record exactly once, the contract of an unconflated stream: with
                // conflation allowed (the seed's default for these three), a client the loaded machine slows gets
                // the latest value per key instead, by design. Conflation is soaked on its own channel, benchc.
                "--bridge.channels.training.conflation.allowed=false",
                "--bridge.channels.backtest.conflation.allowed=false",
                "--bridge.channels.dashboard.conflation.allowed=false",
                "--bridge.security.enabled=true", "--bridge.security.hmac-secret=" + SECRET,
                "--bridge.security.status-access=public", "--bridge.security.actuator-access=public",
                // Slow readers fall behind within their slow phase, and resume.
                "--bridge.stream.max-pending-events=" + options.integer("max-pending-events"),
                "--bridge.stream.ping-interval=" + options.duration("ping-interval").toMillis() + "ms",
                // Rings full within the warm-up (the timestamped channels at 5/s: 400 s), so that what the heap
                // gains after it is not a ring filling up to its bound, which is what a ring is for.
                "--bridge.ring.max-events=" + options.integer("ring-max-events")));
        return new SoakStack(dir, Path.of(options.text("bridge-jar")), Path.of(options.text("simulators-jar")),
                options.integer("bridge-port"), options.integer("kafka-port"), java, jvm, settings);
    }

    /** A client's HTTP client: from its local address, gzip or a small receive buffer as its kind says. */
    private static HttpClient http(String baseUrl, LoopResources loops, String localAddress, SoakMix.Kind kind) {
        InetSocketAddress local = new InetSocketAddress(localAddress, 0);
        HttpClient http = HttpClient.create(ConnectionProvider.newConnection()).runOn(loops).baseUrl(baseUrl)
                .bindAddress(() -> local)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000)
                .responseTimeout(Duration.ofDays(1))
                .compress(kind.gzip());
        return kind.slow() ? http.option(ChannelOption.SO_RCVBUF, 4096) : http;
    }

    /** The broker's restart and, later, the bridge's, at their set shares of the duration. */
    private Thread restarts(SoakStack stack) {
        double brokerAt = Double.parseDouble(options.text("broker-restart-at"));
        double bridgeAt = Double.parseDouble(options.text("bridge-restart-at"));
        Thread thread = new Thread(() -> {
            parkUntil(brokerAt);
            mark("broker stopped");
            stack.stopBroker();
            LockSupport.parkNanos(Duration.ofSeconds(10).toNanos());
            stack.startBroker();
            mark("broker started");
            parkUntil(bridgeAt);
            mark("bridge stopped");
            stack.stopBridge();
            stack.startBridge();
            mark("bridge started");
        }, "soak-restarts");
        thread.setDaemon(true);
        return thread;
    }

    private void parkUntil(double share) {
        LockSupport.parkNanos(start + (long) (duration.toNanos() * share) - System.nanoTime());
    }

    private synchronized void mark(String what) {
        double minutes = (System.nanoTime() - start) / 60e9;
        events.put(minutes, what);
        log(what);
    }

    /**
     * Waits until every client has every record the topics hold, up to three minutes; each that does not is a
     * problem naming what it lacks.
     */
    private static String catchUp(List<SoakClient> clients, Map<Integer, Long> ends, long lastSeq, SoakRun run) {
        long began = System.nanoTime();
        long deadline = began + Duration.ofMinutes(3).toNanos();
        List<SoakClient> behind = new ArrayList<>(clients);
        while (!behind.isEmpty() && System.nanoTime() < deadline) {
            behind.removeIf(client -> client.lacks(ends, lastSeq) == null);
            LockSupport.parkNanos(Duration.ofMillis(500).toNanos());
        }
        for (SoakClient client : behind) {
            run.problems().add("at the end, a client of kind " + client.kind().name() + " never got: "
                    + client.lacks(ends, lastSeq));
        }
        return String.format(Locale.ROOT, "final catch-up: %d of %d clients had every record within %.1f s",
                clients.size() - behind.size(), clients.size(), (System.nanoTime() - began) / 1e9);
    }

    /**
     * Waits until the bridge holds no stream; returns what it saw. A stream whose client closed its socket ends when
     * the bridge notices, at the latest when a ping finds it gone (a ping comes within 1.5 intervals, and the write
     * after a peer's reset fails): three intervals and some.
     */
    private String awaitNoStreams(SoakStack stack, Duration pingInterval) throws IOException {
        BridgeProbe probe = new BridgeProbe(stack.bridgeUrl(), stack.bridgePid());
        Duration limit = pingInterval.multipliedBy(3).plusSeconds(15);
        long deadline = System.nanoTime() + limit.toNanos();
        String seen = "no answer";
        while (System.nanoTime() < deadline) {
            try {
                String metrics = probe.get("/actuator/prometheus");
                long streams = gauge(metrics, "ssebridge_admission_open");
                long consumers = gauge(metrics, "ssebridge_replay_consumers_open");
                seen = streams + " streams and " + consumers + " replay consumers open";
                if (streams == 0 && consumers == 0) {
                    return "every stream closed, no replay consumer open";
                }
            } catch (RuntimeException e) {
                seen = "metrics unreadable: " + e.getMessage();
            }
            LockSupport.parkNanos(Duration.ofMillis(500).toNanos());
        }
        Files.writeString(dir.resolve("status-left-open.json"), probe.get("/api/v1/sse/status"));
        try {
            // Whose connections they are shows in their addresses: the clients' 127.0.1.x, the flood's 127.0.0.5.
            new ProcessBuilder("ss", "-tn", "state", "established", "( sport = :" + stack.bridgePort() + " )")
                    .redirectErrorStream(true).redirectOutput(dir.resolve("sockets-left-open.txt").toFile()).start()
                    .waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return seen + " " + limit.toSeconds() + " s after every client left (the bridge's status then:"
                + " status-left-open.json, its sockets: sockets-left-open.txt)";
    }

    /** A gauge's value in Prometheus text; throws when the text has no such line (renamed, or not metrics at all). */
    private static long gauge(String metrics, String name) {
        for (String line : metrics.split("\n")) {
            if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
                return (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        throw new IllegalStateException("no " + name + " in the bridge's metrics");
    }

    private void progress(SoakSampler.Sample s) {
        log(String.format(Locale.ROOT, "%d clients open, %.0f deliveries/s, p99 %.0f ms, bridge CPU %.0f%%, RSS %.0f MB,"
                        + " heap in use %.0f MB, threads %d, fds %d, problems %d", s.clientsOpen(),
                s.deliveriesPerSecond(), s.p99Ms(), s.cpuPercent(), s.rssMb(), s.heapUsedMb(), s.threads(), s.fds(),
                s.problems()));
    }

    private void log(String what) {
        System.out.printf(Locale.ROOT, "soak %6.1f min: %s%n", (System.nanoTime() - start) / 60e9, what);
    }

    private static void clean(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
