package dev.ssebridge.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * The soak's processes, each a JVM of its own as in production, so that the soak can stop and start them: a Kafka
 * broker (the simulators jar's embedded one, its data kept in a directory across restarts), the simulators writing
 * the four demo streams to it, and the bridge. Their output goes to logs in the soak's directory.
 */
final class SoakStack implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofMinutes(3);
    private static final Duration GRACE = Duration.ofSeconds(30);

    private final Path dir;
    private final Path simulatorsJar;
    private final int bridgePort;
    private final int kafkaPort;
    private final List<String> bridgeCommand;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private Process broker;
    private Process simulators;
    private Process bridge;
    private volatile boolean down; // the broker or the bridge stopped for a restart
    private volatile long settledAfterNanos; // a restart's grace: reconnects, replays and catch-up

    /**
     * @param bridgeJava     the java that runs the bridge
     * @param bridgeOptions  its JVM options
     * @param bridgeSettings its settings ({@code --name=value}), besides port and bootstrap servers
     */
    SoakStack(Path dir, Path bridgeJar, Path simulatorsJar, int bridgePort, int kafkaPort, String bridgeJava,
              List<String> bridgeOptions, List<String> bridgeSettings) {
        this.dir = dir;
        this.simulatorsJar = simulatorsJar;
        this.bridgePort = bridgePort;
        this.kafkaPort = kafkaPort;
        List<String> command = new ArrayList<>();
        command.add(bridgeJava);
        command.addAll(bridgeOptions);
        command.addAll(List.of("-jar", bridgeJar.toString(), "--server.port=" + bridgePort,
                "--bridge.kafka.bootstrap-servers=" + bootstrap()));
        command.addAll(bridgeSettings);
        this.bridgeCommand = List.copyOf(command);
    }

    String bootstrap() {
        return "127.0.0.1:" + kafkaPort;
    }

    String bridgeUrl() {
        return "http://127.0.0.1:" + bridgePort;
    }

    int bridgePort() {
        return bridgePort;
    }

    /** The broker, with its data where the last one left it; returns once it takes clients. */
    synchronized void startBroker() {
        Path log = dir.resolve("kafka.log");
        long from = size(log);
        broker = start(List.of(java(), "-Xmx512m", "-jar", simulatorsJar.toString(),
                "--simulators.embedded.port=" + kafkaPort, "--simulators.embedded.controller-port=" + (kafkaPort + 1),
                "--simulators.embedded.data-dir=" + dir.resolve("kafka-data"), "--simulators.create-topics=false",
                "--simulators.training.enabled=false", "--simulators.backtest.enabled=false",
                "--simulators.risk.enabled=false", "--simulators.portfolio.enabled=false"), log);
        await("the Kafka broker", () -> logHas(log, from, "Simulators writing to"), broker);
        up();
    }

    /** Stops the broker as an operator would (SIGTERM: a controlled shutdown), returning once it is gone. */
    synchronized void stopBroker() {
        down = true;
        stop(broker);
    }

    /**
     * Whether a restart is under way or ended less than {@link #GRACE} ago: what a client sees then (a 503, a stream
     * away for a while, records late) is the restart's, not a fault.
     */
    boolean restarting() {
        return down || System.nanoTime() < settledAfterNanos;
    }

    private void up() {
        down = false;
        settledAfterNanos = System.nanoTime() + GRACE.toNanos();
    }

    /**
     * The simulators at their demo rates, writing the four streams; their sends wait and retry through a broker
     * restart rather than give up.
     */
    synchronized void startSimulators(long seed) {
        Path log = dir.resolve("simulators.log");
        long from = size(log);
        simulators = start(List.of(java(), "-Xmx256m", "-jar", simulatorsJar.toString(),
                "--simulators.bootstrap-servers=" + bootstrap(), "--simulators.create-topics=true",
                "--simulators.seed=" + seed, "--simulators.producer.max.block.ms=300000",
                "--simulators.producer.delivery.timeout.ms=300000"), log);
        await("the simulators", () -> logHas(log, from, "Simulators writing to"), simulators);
    }

    synchronized void stopSimulators() {
        stop(simulators);
    }

    /** The bridge; returns once its health endpoint answers. */
    synchronized void startBridge() {
        bridge = start(bridgeCommand, dir.resolve("bridge.log"));
        await("the bridge", this::bridgeHealthy, bridge);
        up();
    }

    /** Stops the bridge as a rolling restart does (SIGTERM: it ends its streams with {@code shutdown}). */
    synchronized void stopBridge() {
        down = true;
        stop(bridge);
    }

    synchronized long bridgePid() {
        return bridge != null && bridge.isAlive() ? bridge.pid() : 0;
    }

    synchronized boolean bridgeAlive() {
        return bridge != null && bridge.isAlive();
    }

    synchronized boolean brokerAlive() {
        return broker != null && broker.isAlive();
    }

    private boolean bridgeHealthy() {
        try {
            HttpResponse<Void> response = http.send(HttpRequest.newBuilder(URI.create(bridgeUrl()
                    + "/actuator/health")).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding());
            return response.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Whether something accepts connections on the bridge's port. */
    boolean bridgeListening() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", bridgePort), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private Process start(List<String> command, Path log) {
        try {
            Files.createDirectories(dir);
            return new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command.get(0), e);
        }
    }

    private static void await(String what, BooleanSupplier ready, Process process) {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!ready.getAsBoolean()) {
            if (!process.isAlive()) {
                throw new IllegalStateException(what + " exited with status " + process.exitValue()
                        + "; see its log in the soak's directory");
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(what + " did not come up within " + START_TIMEOUT);
            }
            LockSupport.parkNanos(Duration.ofMillis(200).toNanos());
        }
    }

    private static void stop(Process process) {
        if (process == null || !process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    private static long size(Path log) {
        try {
            return Files.exists(log) ? Files.size(log) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    /** Whether the log has {@code text} after byte {@code from} (what earlier runs of the process wrote). */
    private static boolean logHas(Path log, long from, String text) {
        try {
            byte[] bytes = Files.readAllBytes(log);
            return from < bytes.length
                    && new String(bytes, (int) from, bytes.length - (int) from, StandardCharsets.UTF_8).contains(text);
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public synchronized void close() {
        stop(bridge);
        stop(simulators);
        stop(broker);
    }
}
