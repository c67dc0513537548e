package dev.ssebridge.bridge.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ssebridge.bridge.support.BridgeFixture;
import dev.ssebridge.bridge.support.HalfWrittenFlood;
import dev.ssebridge.bridge.support.RawHttp;
import dev.ssebridge.bridge.support.RunningBridge;
import dev.ssebridge.bridge.support.SeedPayloads;
import dev.ssebridge.bridge.support.SseClient;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.netty.http.HttpProtocol;
import reactor.netty.http.client.HttpClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What one address can do to the bridge with requests it never finishes, tried for real: thousands of connections
 * that send a request line and one header and then nothing, one that trickles a byte every half second, an HTTP/2
 * preface with no stream after it, a crowd that fills the instance. A client from another address (127.0.0.2; every
 * 127.0.0.x is loopback) streams throughout and must get every record within a second.
 */
class HalfWrittenRequestsIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration DEADLINE = Duration.ofSeconds(2);
    /** How late after the deadline a close may come: a busy test machine's scheduling, not the bridge's. */
    private static final Duration SLACK = Duration.ofMillis(1_500);
    private static final Duration WAIT = Duration.ofSeconds(30);

    @RegisterExtension
    final BridgeFixture fixture = BridgeFixture.withPartitions(1).startedByEachTest();

    @Test
    void halfWrittenRequestsFromOneAddressAreClosedInTimeWhileAnotherAddressKeepsStreaming() throws Exception {
        RunningBridge bridge = fixture.start(Map.of(
                "bridge.admission.header-timeout", DEADLINE.toMillis() + "ms",
                "bridge.admission.max-connections-per-address", "200",
                "bridge.admission.max-tcp-connections-per-address", "300"));
        try (SseClient normal = SseClient.connect(bridge.webClientFrom("127.0.0.2"), "/api/v1/sse/training", Map.of())) {
            normal.awaitConnected();
            Trickler trickler = Trickler.start(bridge.port(), Duration.ofMillis(500));
            try (HalfWrittenFlood flood = HalfWrittenFlood.open("127.0.0.1", bridge.port(), 2_000,
                    HalfWrittenFlood.HALF_REQUEST)) {
                // Throughout the flood and past its deadline, the other address's stream gets every record in time.
                for (int i = 0; i < 20; i++) {
                    fixture.producer().send(fixture.topic("training"), "task-" + i, SeedPayloads.of("training", i));
                    int expected = i + 1;
                    await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(10))
                            .until(() -> normal.named("training_progress").size() >= expected);
                    Thread.sleep(200); // the producer's pace: a record every 200 ms, not a synchronisation
                }
                await().atMost(DEADLINE.plus(SLACK).plus(Duration.ofSeconds(1))).until(() -> flood.stillOpen() == 0);
                List<Duration> closed = flood.closedAfter();
                assertThat(closed).doesNotContainNull()
                        .allSatisfy(after -> assertThat(after).isLessThanOrEqualTo(DEADLINE.plus(SLACK)));
                long heldUntilTheDeadline = closed.stream()
                        .filter(after -> after.compareTo(DEADLINE.minusMillis(300)) >= 0).count();
                assertThat(heldUntilTheDeadline).as("the address's share, held until the deadline, no more")
                        .isBetween(250L, 300L);
            }
            assertThat(trickler.awaitClosed(WAIT)).as("a byte every 500 ms does not extend the deadline")
                    .isBetween(DEADLINE.minusMillis(300), DEADLINE.plus(SLACK));
            assertThat(normal.error()).isNull();
            assertThat(normal.isCompleted()).isFalse();
        }
        assertThat(bridge.metric("ssebridge_tcp_connections_refused_total", "reason=\"address\""))
                .isGreaterThanOrEqualTo(1_700);
        assertThat(bridge.metric("ssebridge_tcp_connections_refused_total", "reason=\"header_timeout\""))
                .isGreaterThanOrEqualTo(251);
        JsonNode connections = JSON.readTree(bridge.get("/api/v1/sse/status")).get("connections");
        assertThat(connections.get("per_address_limit").asInt()).isEqualTo(300);
        assertThat(connections.get("header_timeout_ms").asLong()).isEqualTo(DEADLINE.toMillis());
        assertThat(connections.get("refused").get("header_timeout").asLong()).isGreaterThanOrEqualTo(251);
    }

    @Test
    void aKeptAliveConnectionWhoseNextRequestDoesNotArriveInTimeIsClosed() throws Exception {
        RunningBridge bridge = fixture.start(Map.of("bridge.admission.keep-alive-timeout", DEADLINE.toMillis() + "ms"));
        try (Socket socket = RawHttp.connect("127.0.0.3", bridge.port())) {
            OutputStream out = socket.getOutputStream();
            out.write("GET /api/v1/sse/status HTTP/1.1\r\nHost: bridge\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertThat(RawHttp.read(socket.getInputStream()).status()).isEqualTo(200);
            long answered = System.nanoTime();
            out.write(HalfWrittenFlood.HALF_REQUEST);
            out.flush();
            Duration closed = RawHttp.awaitClosed(socket, WAIT);
            assertThat(closed).isNotNull();
            assertThat(Duration.ofNanos(System.nanoTime() - answered))
                    .isBetween(DEADLINE.minusMillis(300), DEADLINE.plus(SLACK));
        }
    }

    @Test
    void anHttp2ConnectionThatNeverOpensAStreamIsClosedButStreamsGoOn() throws Exception {
        RunningBridge bridge = fixture.start(Map.of(
                "bridge.admission.header-timeout", DEADLINE.toMillis() + "ms",
                "server.http2.enabled", "true"));
        AtomicReference<String> received = new AtomicReference<>("");
        var stream = HttpClient.create().protocol(HttpProtocol.H2C).get()
                .uri("http://127.0.0.1:" + bridge.port() + "/api/v1/sse/training")
                .responseContent().asString()
                .subscribe(chunk -> received.accumulateAndGet(chunk, String::concat));
        await().atMost(WAIT).until(() -> received.get().contains("event: connected"));
        try (Socket prefaceOnly = RawHttp.connect("127.0.0.4", bridge.port());
             Socket prefaceAndSettings = RawHttp.connect("127.0.0.4", bridge.port())) {
            prefaceOnly.getOutputStream().write(PREFACE);
            prefaceAndSettings.getOutputStream().write(PREFACE);
            prefaceAndSettings.getOutputStream().write(EMPTY_SETTINGS);
            assertThat(RawHttp.awaitClosed(prefaceOnly, WAIT)).isNotNull()
                    .isBetween(DEADLINE.minusMillis(300), DEADLINE.plus(SLACK));
            assertThat(RawHttp.awaitClosed(prefaceAndSettings, WAIT)).isNotNull()
                    .isLessThanOrEqualTo(DEADLINE.plus(SLACK));
            // The stream that opened before is past the deadline now, and still delivers.
            fixture.producer().send(fixture.topic("training"), "task-h2", SeedPayloads.of("training", 1));
            await().atMost(WAIT).until(() -> received.get().contains("event: training_progress"));
        } finally {
            stream.dispose();
        }
    }

    /**
     * Near its limit (as with 19,000 streams open and a thousand places left), an address flooding half-written
     * requests takes no more places than it may have waiting: a newcomer from another address still gets in.
     */
    @Test
    void nearItsLimitAFloodFromOneAddressHoldsOnlyItsWaitingPlacesAndANewcomerStillStreams() throws Exception {
        RunningBridge bridge = fixture.start(Map.of(
                "bridge.admission.header-timeout", "20s",
                "bridge.admission.max-tcp-connections", "40",
                "bridge.admission.tcp-connection-reserve", "2",
                "bridge.admission.max-tcp-connections-per-address", "0",
                "bridge.admission.max-awaiting-per-address", "10"));
        try (HalfWrittenFlood flood = HalfWrittenFlood.open("127.0.0.3", bridge.port(), 100,
                HalfWrittenFlood.HALF_REQUEST)) {
            await().atMost(WAIT).until(() -> flood.stillOpen() <= 10);
            assertThat(bridge.bean(TcpConnections.class).awaitingRequest()).isLessThanOrEqualTo(10);
            assertThat(bridge.bean(TcpConnections.class).refusedCount(TcpConnections.Refusal.AWAITING))
                    .isGreaterThanOrEqualTo(90);
            try (SseClient newcomer = SseClient.connect(bridge.webClientFrom("127.0.0.2"), "/api/v1/sse/training",
                    Map.of())) {
                newcomer.awaitConnected();
                fixture.producer().send(fixture.topic("training"), "task-1", SeedPayloads.of("training", 1));
                newcomer.awaitNamed("training_progress", 1, WAIT);
            }
            assertThat(flood.stillOpen()).as("the flood's waiting places are held until their deadline")
                    .isEqualTo(10);
        }
        JsonNode connections = JSON.readTree(bridge.get("/api/v1/sse/status")).get("connections");
        assertThat(connections.get("per_address_awaiting_limit").asInt()).isEqualTo(10);
        assertThat(connections.get("refused").get("awaiting").asLong()).isGreaterThanOrEqualTo(90);
    }

    @Test
    void anInstanceAtItsLimitRefusesCheaplyAndKeepsItsReserveForStatusAndHealth() throws Exception {
        RunningBridge bridge = fixture.start(Map.of(
                "bridge.admission.header-timeout", "20s",
                "bridge.admission.max-tcp-connections", "60",
                "bridge.admission.tcp-connection-reserve", "10",
                "bridge.admission.max-tcp-connections-per-address", "0"));
        List<HalfWrittenFlood> crowd = new ArrayList<>();
        try {
            // Half-written requests from many addresses (no one address over a share) fill it to the reserve.
            for (int a = 10; a < 60; a++) {
                crowd.add(HalfWrittenFlood.open("127.0.1." + a, bridge.port(), 1, HalfWrittenFlood.HALF_REQUEST));
            }
            await().atMost(WAIT).until(() -> bridge.bean(TcpConnections.class).open() >= 50);

            RawHttp.Response status = RawHttp.exchange("127.0.0.5", bridge.port(), RawHttp.get("/api/v1/sse/status"), WAIT);
            assertThat(status.status()).isEqualTo(200);
            JsonNode connections = JSON.readTree(status.body()).get("connections");
            assertThat(connections.get("state").asString()).isEqualTo("degraded");
            assertThat(connections.get("reason").asString()).contains("reserve");
            RawHttp.Response health = RawHttp.exchange("127.0.0.5", bridge.port(), RawHttp.get("/actuator/health"), WAIT);
            assertThat(health.status()).as("degraded, still serving: 200").isEqualTo(200);
            assertThat(JSON.readTree(health.body()).at("/components/connections/status").asString()).isEqualTo("DEGRADED");

            RawHttp.Response stream = RawHttp.exchange("127.0.0.6", bridge.port(), RawHttp.get("/api/v1/sse/training"), WAIT);
            assertThat(stream.status()).isEqualTo(503);
            assertThat(stream.headers().get("content-type")).isEqualTo("application/problem+json");
            assertThat(stream.headers().get("retry-after")).isEqualTo("5");
            assertThat(JSON.readTree(stream.body()).get("limit").asString()).isEqualTo("bridge.admission.max-tcp-connections");

            // The reserve filled too: the next connection is closed at accept, before it can send anything.
            for (int a = 60; a < 70; a++) {
                crowd.add(HalfWrittenFlood.open("127.0.1." + a, bridge.port(), 1, HalfWrittenFlood.HALF_REQUEST));
            }
            await().atMost(WAIT).until(() -> bridge.bean(TcpConnections.class).open() >= 60);
            long connecting = System.nanoTime();
            Duration closedAfter;
            try (Socket late = RawHttp.connect("127.0.0.7", bridge.port())) {
                closedAfter = RawHttp.awaitClosed(late, WAIT);
            } catch (UncheckedIOException reset) {
                // On a busy machine the reset can come before connect() returns: closed at accept all the same.
                assertThat(reset.getCause()).hasMessageContaining("reset");
                closedAfter = Duration.ofNanos(System.nanoTime() - connecting);
            }
            assertThat(closedAfter).as("closed at once").isLessThan(Duration.ofSeconds(1));
            assertThat(bridge.bean(TcpConnections.class).refusedCount(TcpConnections.Refusal.TOTAL)).isPositive();
        } finally {
            for (HalfWrittenFlood one : crowd) {
                one.close();
            }
        }
        // Once the crowd is gone, streams open again; the refusal keeps health degraded for a minute.
        await().atMost(WAIT).until(() -> bridge.bean(TcpConnections.class).open() < 10);
        try (SseClient client = bridge.connect("/api/v1/sse/training")) {
            client.awaitConnected();
        }
        assertThat(bridge.getWhateverStatus("/actuator/health")).contains("DEGRADED");
    }

    @Test
    void requestsTheCodecRefusesAreProblemsNamingTheLimitAndNothingElseIsDisturbed() throws Exception {
        RunningBridge bridge = fixture.start(Map.of());
        int port = bridge.port();
        try (SseClient normal = SseClient.connect(bridge.webClientFrom("127.0.0.2"), "/api/v1/sse/training", Map.of())) {
            normal.awaitConnected();

            assertProblem(RawHttp.exchange("127.0.0.8", port, RawHttp.get("/api/v1/sse/training?x=" + "y".repeat(64 * 1024)),
                    WAIT), 414, "server.netty.max-initial-line-length");
            assertProblem(RawHttp.exchange("127.0.0.8", port, RawHttp.get("/api/v1/sse/training?where=" + "a".repeat(100_000)),
                    WAIT), 414, "server.netty.max-initial-line-length");
            StringBuilder channels = new StringBuilder("/api/v1/sse/stream?channels=training");
            for (int i = 0; i < 5_000; i++) {
                channels.append(",training");
            }
            assertProblem(RawHttp.exchange("127.0.0.8", port, RawHttp.get(channels.toString()), WAIT), 414,
                    "server.netty.max-initial-line-length");
            String[] manyHeaders = new String[10_000];
            for (int i = 0; i < manyHeaders.length; i++) {
                manyHeaders[i] = "X-H" + i + ": v";
            }
            assertProblem(RawHttp.exchange("127.0.0.8", port, RawHttp.get("/api/v1/sse/training", manyHeaders), WAIT),
                    431, "server.max-http-request-header-size");
            assertProblem(RawHttp.exchange("127.0.0.8", port,
                    RawHttp.get("/api/v1/sse/training", "X-Padding: " + "p".repeat(70 * 1024)), WAIT),
                    431, "server.max-http-request-header-size");
            assertProblem(RawHttp.exchange("127.0.0.8", port,
                    RawHttp.get("/api/v1/sse/training", "Last-Event-ID: " + "A".repeat(50 * 1024)), WAIT),
                    431, "server.max-http-request-header-size");
            RawHttp.Response noColon = RawHttp.exchange("127.0.0.8", port,
                    RawHttp.get("/api/v1/sse/training", "ThisLineHasNoColon"), WAIT);
            assertThat(noColon.status()).isEqualTo(400);
            assertThat(noColon.headers().get("content-type")).isEqualTo("application/problem+json");
            try (Socket halfWay = RawHttp.connect("127.0.0.8", port)) {
                halfWay.getOutputStream().write("GET /api/v1/sse/tra".getBytes(StandardCharsets.US_ASCII));
                halfWay.shutdownOutput();
                assertThat(RawHttp.awaitClosed(halfWay, WAIT)).as("closed, no answer owed").isNotNull();
            }

            fixture.producer().send(fixture.topic("training"), "task-1", SeedPayloads.of("training", 1));
            normal.awaitNamed("training_progress", 1, WAIT);
            assertThat(normal.error()).isNull();
        }
        assertThat(bridge.metric("ssebridge_tcp_connections_refused_total", "reason=\"request_line_too_long\""))
                .isEqualTo(3);
        assertThat(bridge.metric("ssebridge_tcp_connections_refused_total", "reason=\"headers_too_large\""))
                .isEqualTo(3);
    }

    private static void assertProblem(RawHttp.Response response, int status, String limit) {
        assertThat(response.status()).isEqualTo(status);
        assertThat(response.headers().get("content-type")).isEqualTo("application/problem+json");
        assertThat(response.headers().get("connection")).isEqualTo("close");
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.get("status").asInt()).isEqualTo(status);
        assertThat(body.get("limit").asString()).isEqualTo(limit);
        assertThat(body.get("detail").asString()).contains(limit);
    }

    /** HTTP/2's connection preface, and an empty SETTINGS frame (length 0, type 4, no flags, stream 0). */
    private static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] EMPTY_SETTINGS = {0, 0, 0, 4, 0, 0, 0, 0, 0};

    /** A request whose headers come a byte at a time, forever: the slowloris. */
    private static final class Trickler {
        private final Socket socket;
        private final long connectedAt = System.nanoTime();
        private volatile long closedAt;

        private Trickler(Socket socket, Duration every) {
            this.socket = socket;
            Thread writer = new Thread(() -> {
                try {
                    OutputStream out = socket.getOutputStream();
                    out.write(HalfWrittenFlood.HALF_REQUEST);
                    out.write("X-Slow: ".getBytes(StandardCharsets.US_ASCII));
                    while (closedAt == 0) {
                        out.write('a');
                        out.flush();
                        Thread.sleep(every.toMillis()); // the attacker's pace, not a synchronisation
                    }
                } catch (IOException | InterruptedException e) {
                    // the server closed it, or the test ended
                }
            }, "trickler-writer");
            Thread reader = new Thread(() -> {
                try {
                    while (socket.getInputStream().read() >= 0) {
                        // the server sends nothing before the headers are complete
                    }
                } catch (IOException e) {
                    // reset: closed as well
                }
                closedAt = System.nanoTime();
            }, "trickler-reader");
            writer.setDaemon(true);
            reader.setDaemon(true);
            writer.start();
            reader.start();
        }

        static Trickler start(int port, Duration every) {
            return new Trickler(RawHttp.connect("127.0.0.1", port), every);
        }

        /** How long after its connect the server closed it. */
        Duration awaitClosed(Duration timeout) throws IOException {
            await().atMost(timeout).until(() -> closedAt != 0);
            socket.close();
            return Duration.ofNanos(closedAt - connectedAt);
        }
    }
}
