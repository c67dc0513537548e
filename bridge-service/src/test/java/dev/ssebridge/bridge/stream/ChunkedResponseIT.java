package dev.ssebridge.bridge.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ssebridge.bridge.support.BridgeFixture;
import dev.ssebridge.bridge.support.RunningBridge;
import dev.ssebridge.bridge.support.SeedPayloads;
import dev.ssebridge.bridge.support.SelfSignedKeystore;
import dev.ssebridge.bridge.support.SseClient;
import dev.ssebridge.bridge.support.TestChannels;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.netty.http.Http11SslContextSpec;
import reactor.netty.http.client.HttpClient;
import reactor.test.StepVerifier;

/**
 * The stream route's own chunks ({@link ChunkWriter}), read byte by byte from a plain socket as HTTP/1.1 says they
 * must be: every chunk's size line matches its data and ends in CRLF, events are whole, the stream's end is the
 * zero-length last chunk, and the connection then serves the next request (keep-alive survives a stream).
 */
class ChunkedResponseIT {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Pattern SEQUENCE = Pattern.compile("\"n\\\\?\":(\\d+)");

    @RegisterExtension
    static final BridgeFixture fixture = BridgeFixture.withPartitions(1);

    @Test
    void chunksAreWellFormedAndTheConnectionServesTheNextRequestAfterTheStreamEnds() throws Exception {
        RunningBridge bridge = fixture.bridge();
        String event = TestChannels.EVENT_NAMES.get("training");
        double chunkedBefore = bridge.metric("ssebridge_streams_chunked_total", "");
        try (Socket socket = new Socket("127.0.0.1", bridge.port())) {
            socket.setSoTimeout((int) WAIT.toMillis());
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            request(out, "/api/v1/sse/training?client_id=chunks-1");

            Map<String, String> headers = responseHead(in);
            assertThat(headers.get(":status")).isEqualTo("200");
            assertThat(headers).containsEntry("transfer-encoding", "chunked")
                    .containsEntry("content-type", "text/event-stream");
            assertThat(chunk(in)).contains("event: connected");
            assertThat(bridge.metric("ssebridge_streams_chunked_total", "")).as("written by the route's chunk writer")
                    .isEqualTo(chunkedBefore + 1);

            for (int i = 0; i < 20; i++) {
                fixture.producer().send(fixture.topic("training"), "task-1", SeedPayloads.of("training", i));
            }
            List<Integer> sequence = new ArrayList<>();
            while (sequence.size() < 20) {
                String data = chunk(in);
                assertThat(data).as("a chunk holds whole events").endsWith("\n\n");
                if (data.contains("event: " + event)) {
                    Matcher progress = SEQUENCE.matcher(data);
                    while (progress.find()) {
                        sequence.add(Integer.parseInt(progress.group(1)));
                    }
                }
            }
            assertThat(sequence).isEqualTo(IntStream.range(0, 20).boxed().toList());

            // A second stream with the same client id replaces this one: its stream_end, then the last chunk.
            try (SseClient replacing = bridge.connect("/api/v1/sse/training?client_id=chunks-1")) {
                replacing.awaitConnected();
                String end = chunk(in);
                while (!end.contains("event: stream_end")) {
                    end = chunk(in);
                }
                assertThat(end).contains("\"reason\":\"replaced\"");
                assertThat(chunk(in)).as("the last chunk").isNull();
                assertThat(readLine(in)).as("the last chunk's empty trailer").isEmpty();
            }

            request(out, "/api/v1/sse/status");
            Map<String, String> status = responseHead(in);
            assertThat(status.get(":status")).as("the next request on the same connection").isEqualTo("200");
        }
    }

    /**
     * HTTP/1.1 streams are the chunk writer's over TLS (its chunks enter above TLS: below, the client would read
     * plaintext where it expects records) and on a server that also speaks h2c (whose HTTP/1.1 codec has no name).
     */
    @Test
    void overTlsAndBesideH2cHttp11StreamsAreWrittenAsChunks() {
        RunningBridge tls = fixture.startAnother(Map.copyOf(SelfSignedKeystore.serverSettings()));
        HttpClient insecure = HttpClient.create().secure(spec -> spec.sslContext(Http11SslContextSpec.forClient()
                .configure(builder -> builder.trustManager(InsecureTrustManagerFactory.INSTANCE))));
        expectRecord(insecure, "https://localhost:" + tls.port(), 101);
        assertThat(chunked(tls)).isEqualTo(1);

        RunningBridge h2c = fixture.startAnother(Map.of("server.http2.enabled", "true"));
        expectRecord(HttpClient.create(), "http://localhost:" + h2c.port(), 102);
        assertThat(chunked(h2c)).isEqualTo(1);
    }

    /**
     * With Reactor Netty's own compression on for streams (Spring's {@code server.compression}), every write must pass
     * its compressor: the route sends through Reactor Netty then, and the client inflates whole events.
     */
    @Test
    void withTheServersOwnCompressionStreamsAreSentThroughIt() {
        RunningBridge compressing = fixture.startAnother(Map.of(
                "server.compression.enabled", "true",
                "server.compression.mime-types", "text/event-stream",
                "server.compression.min-response-size", "0",
                "bridge.stream.compression.enabled", "false"));
        expectRecord(HttpClient.create().compress(true), "http://localhost:" + compressing.port(), 103);
        assertThat(chunked(compressing)).isZero();
    }

    /** A stream's connected event, then a record produced once it came, read whole by Reactor Netty's client. */
    private static void expectRecord(HttpClient client, String base, int n) {
        StepVerifier.create(client.get().uri(base + "/api/v1/sse/training")
                        .response((response, body) -> {
                            assertThat(response.status().code()).isEqualTo(200);
                            return body.asString();
                        })
                        .filter(text -> text.contains("event: connected") || text.contains("\"n\":" + n)))
                .assertNext(text -> {
                    assertThat(text).contains("event: connected");
                    fixture.producer().send(fixture.topic("training"), "task-1", SeedPayloads.of("training", n));
                })
                .assertNext(text -> assertThat(text).contains("\"n\":" + n))
                .thenCancel()
                .verify(WAIT);
    }

    private static double chunked(RunningBridge bridge) {
        return bridge.bean(MeterRegistry.class).get("ssebridge.streams.chunked").counter().count();
    }

    private static void request(OutputStream out, String path) throws IOException {
        out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: */*\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    /** The status code (as {@code :status}) and headers, names in lower case. */
    private static Map<String, String> responseHead(InputStream in) throws IOException {
        Map<String, String> headers = new TreeMap<>();
        String status = readLine(in);
        headers.put(":status", status.split(" ")[1]);
        for (String line = readLine(in); !line.isEmpty(); line = readLine(in)) {
            int colon = line.indexOf(':');
            headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
        }
        return headers;
    }

    /** One chunk's data, checked against its size line and its CRLF; null for the last (zero-length) chunk. */
    private static String chunk(InputStream in) throws IOException {
        String sizeLine = readLine(in);
        assertThat(sizeLine).as("a chunk size line").matches("[0-9a-f]+");
        int size = Integer.parseInt(sizeLine, 16);
        if (size == 0) {
            return null;
        }
        byte[] data = in.readNBytes(size);
        assertThat(data).hasSize(size);
        assertThat(in.read()).as("CR after the chunk's data").isEqualTo('\r');
        assertThat(in.read()).as("LF after the chunk's data").isEqualTo('\n');
        return new String(data, StandardCharsets.UTF_8);
    }

    /** A line ending in CRLF, without it (a bare LF fails). */
    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); ; b = in.read()) {
            assertThat(b).as("end of stream inside a line").isNotEqualTo(-1);
            if (b == '\r') {
                assertThat(in.read()).as("LF after CR").isEqualTo('\n');
                return line.toString(StandardCharsets.US_ASCII);
            }
            line.write(b);
        }
    }
}
