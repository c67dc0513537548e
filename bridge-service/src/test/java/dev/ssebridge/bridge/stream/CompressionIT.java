package dev.ssebridge.bridge.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ssebridge.bridge.support.BridgeFixture;
import dev.ssebridge.bridge.support.SseClient;
import dev.ssebridge.testsupport.SseEventParser;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * gzip on streams, read by a real gzip client (the JDK's HTTP client and {@link GZIPInputStream}, which is what
 * any client library does): the same events as an uncompressed client, each as soon as it is written (the
 * compressor flushes per write; an event that waited for more data would never arrive here), and the ways out:
 * {@code q=0}, the setting, and the bound on compressed streams.
 */
class CompressionIT {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @RegisterExtension
    final BridgeFixture fixture = BridgeFixture.withPartitions(2).startedByEachTest();

    @Test
    void aGzipClientReadsTheSameEventsAsAPlainOneEachAsSoonAsItIsWritten() throws Exception {
        fixture.start(Map.of());
        try (GzipReader gzip = GzipReader.open(fixture.bridge().port(), "/api/v1/sse/training", "gzip, deflate, br");
             // Spring's WebClient asks for gzip by default (and inflates it): this one asks not to.
             SseClient plain = fixture.bridge().connect("/api/v1/sse/training", Map.of("Accept-Encoding", "identity"))) {
            assertThat(gzip.response.headers().firstValue("Content-Encoding")).hasValue("gzip");
            assertThat(gzip.response.headers().allValues("Vary")).contains("Accept-Encoding");
            await().atMost(WAIT).until(() -> gzip.named("connected").size() == 1);
            plain.awaitConnected();

            for (int i = 0; i < 5; i++) {
                // One at a time: each must come through on its own, with nothing written after it.
                fixture.producer().send(fixture.topic("training"), "task-" + i, "{\"task_id\":\"task-" + i + "\",\"n\":" + i + "}");
                int expected = i + 1;
                await().atMost(WAIT).until(() -> gzip.named("training_progress").size() == expected);
            }
            for (int i = 5; i < 200; i++) {
                fixture.producer().sendAsync(fixture.topic("training"), "task-" + (i % 7),
                        ("{\"task_id\":\"task-" + (i % 7) + "\",\"n\":" + i + ",\"pad\":\"" + "abc".repeat(50) + "\"}").getBytes());
            }
            fixture.producer().flush();
            plain.awaitNamed("training_progress", 200, WAIT);
            await().atMost(WAIT).until(() -> gzip.named("training_progress").size() == 200);
            assertThat(gzip.named("training_progress")).extracting(SseEventParser.Event::lastId, SseEventParser.Event::data)
                    .containsExactlyElementsOf(plain.named("training_progress").stream()
                            .map(e -> org.assertj.core.groups.Tuple.tuple(e.id(), e.data())).toList());
            assertThat(fixture.bridge().metric("ssebridge_streams_compressed", "")).isEqualTo(1.0);
            assertThat(gzip.wireBytes()).as("compressed on the wire").isLessThan(plain.all().stream()
                    .mapToLong(e -> e.data().length()).sum() / 3);
        }
        await().atMost(WAIT).untilAsserted(() ->
                assertThat(fixture.bridge().metric("ssebridge_streams_compressed", "")).isZero());
    }

    @Test
    void streamsAreUncompressedForQZeroWhenTurnedOffAndBeyondTheBound() throws Exception {
        fixture.start(Map.of("bridge.stream.compression.max-streams", "1"));
        try (GzipReader refused = GzipReader.open(fixture.bridge().port(), "/api/v1/sse/training", "gzip;q=0, identity");
             GzipReader first = GzipReader.open(fixture.bridge().port(), "/api/v1/sse/training", "gzip");
             GzipReader second = GzipReader.open(fixture.bridge().port(), "/api/v1/sse/training", "gzip")) {
            assertThat(refused.response.headers().firstValue("Content-Encoding")).isEmpty();
            assertThat(first.response.headers().firstValue("Content-Encoding")).hasValue("gzip");
            assertThat(second.response.headers().firstValue("Content-Encoding")).as("beyond max-streams").isEmpty();
            fixture.producer().send(fixture.topic("training"), "task-1", "{\"n\":1}");
            for (GzipReader reader : List.of(refused, first, second)) {
                await().atMost(WAIT).until(() -> reader.named("training_progress").size() == 1);
            }
        }
        fixture.bridge().close();
        fixture.start(Map.of("bridge.stream.compression.enabled", "false"));
        try (GzipReader off = GzipReader.open(fixture.bridge().port(), "/api/v1/sse/training", "gzip")) {
            assertThat(off.response.headers().firstValue("Content-Encoding")).isEmpty();
            assertThat(off.response.headers().allValues("Vary")).doesNotContain("Accept-Encoding");
        }
    }

    /** A stream read with the JDK's HTTP client, inflated with {@link GZIPInputStream} when the response says gzip. */
    private static final class GzipReader implements AutoCloseable {
        final HttpResponse<InputStream> response;
        private final List<SseEventParser.Event> events = new CopyOnWriteArrayList<>();
        private final CountingInputStream wire;
        private final Thread reader;

        private GzipReader(HttpResponse<InputStream> response) throws IOException {
            this.response = response;
            this.wire = new CountingInputStream(response.body());
            InputStream body = response.headers().firstValue("Content-Encoding").orElse("").equals("gzip")
                    ? new GZIPInputStream(wire, 64) : wire;
            SseEventParser parser = new SseEventParser(events::add);
            this.reader = new Thread(() -> {
                byte[] buffer = new byte[8192];
                try {
                    for (int n = body.read(buffer); n > 0; n = body.read(buffer)) {
                        parser.feed(buffer, 0, n);
                    }
                } catch (IOException e) {
                    // closed
                }
            }, "gzip-reader");
            reader.setDaemon(true);
            reader.start();
        }

        static GzipReader open(int port, String path, String acceptEncoding) throws Exception {
            HttpResponse<InputStream> response = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(HttpRequest.newBuilder(
                            URI.create("http://localhost:" + port + path))
                    .header("Accept", "text/event-stream").header("Accept-Encoding", acceptEncoding).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            assertThat(response.statusCode()).isEqualTo(200);
            return new GzipReader(response);
        }

        List<SseEventParser.Event> named(String name) {
            return events.stream().filter(e -> e.name().equals(name)).toList();
        }

        long wireBytes() {
            return wire.count;
        }

        @Override
        public void close() throws IOException {
            response.body().close();
            reader.interrupt();
        }
    }

    private static final class CountingInputStream extends java.io.FilterInputStream {
        volatile long count;

        CountingInputStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }
    }
}
