package dev.ssebridge.bridge.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.ssebridge.bridge.config.SchemaRegistrySettings;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * How the client sorts a registry's answers and fails over, against a scripted HTTP server. The client's
 * conversation with a real registry is SchemaRegistryIT's.
 */
class SchemaRegistryClientTest {

    private HttpServer server;
    private final Map<String, Answer> answers = new ConcurrentHashMap<>();
    private final Map<String, String> authorizations = new ConcurrentHashMap<>();
    private final AtomicInteger hits = new AtomicInteger();

    private record Answer(int status, String body) {
    }

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            hits.incrementAndGet();
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            authorizations.put(exchange.getRequestURI().getRawPath(), authorization == null ? "" : authorization);
            Answer answer = answers.getOrDefault(exchange.getRequestURI().getRawPath(), new Answer(404, "<html>no route</html>"));
            byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(answer.status(), body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    @Test
    void readsASchemaWithItsTypeAndReferences() throws Exception {
        answers.put("/api/schemas/ids/5", new Answer(200, """
                {"schema":"syntax = \\"proto3\\";","schemaType":"PROTOBUF",
                 "references":[{"name":"a/b.proto","subject":"ab","version":2}]}"""));
        answers.put("/api/schemas/ids/6", new Answer(200, "{\"schema\":\"\\\"string\\\"\"}"));
        answers.put("/api/subjects/my%20subject/versions/3", new Answer(200, "{\"subject\":\"my subject\",\"version\":3,\"id\":6,\"schema\":\"\\\"int\\\"\"}"));
        SchemaRegistryClient client = client(base() + "/api/");

        assertThat(client.byId(5)).isEqualTo(new RegistrySchema("PROTOBUF", "syntax = \"proto3\";",
                List.of(new RegistrySchema.Reference("a/b.proto", "ab", 2))));
        assertThat(client.byId(6)).isEqualTo(new RegistrySchema("AVRO", "\"string\"", List.of()));
        assertThat(client.byVersion("my subject", 3).schema()).isEqualTo("\"int\"");
    }

    @Test
    void theConfluentNotFoundCodesMeanNotFound() {
        answers.put("/schemas/ids/9", new Answer(404, "{\"error_code\":40403,\"message\":\"Schema 9 not found.\"}"));
        answers.put("/subjects/s/versions/1", new Answer(404, "{\"error_code\":40401,\"message\":\"Subject 's' not found.\"}"));
        SchemaRegistryClient client = client(base());

        assertThatThrownBy(() -> client.byId(9)).isInstanceOf(SchemaNotFoundException.class).hasMessageStartingWith("Schema 9 not found. (40403");
        assertThatThrownBy(() -> client.byVersion("s", 1)).isInstanceOf(SchemaNotFoundException.class);
    }

    @Test
    void anyOtherAnswerMeansUnavailableNotNotFound() {
        answers.put("/schemas/ids/1", new Answer(500, "{\"error_code\":50001,\"message\":\"store down\"}"));
        answers.put("/schemas/ids/2", new Answer(401, "{\"error_code\":401,\"message\":\"Unauthorized\"}"));
        answers.put("/schemas/ids/3", new Answer(200, "not json"));
        SchemaRegistryClient client = client(base());

        assertThatThrownBy(() -> client.byId(1)).isInstanceOf(RegistryUnavailableException.class).hasMessageContaining("HTTP 500 error_code 50001");
        assertThatThrownBy(() -> client.byId(2)).isInstanceOf(RegistryUnavailableException.class).hasMessageContaining("HTTP 401");
        assertThatThrownBy(() -> client.byId(3)).isInstanceOf(RegistryUnavailableException.class);
        // A 404 without a Confluent code is a wrong URL: skipping every record for it would lose them all.
        assertThatThrownBy(() -> client.byId(4)).isInstanceOf(RegistryUnavailableException.class)
                .hasMessageContaining("HTTP 404 without a Confluent not-found code: is the URL the API root?");
    }

    @Test
    void failsOverToTheNextUrlAndKeepsUsingIt() throws Exception {
        answers.put("/schemas/ids/1", new Answer(200, "{\"schema\":\"\\\"int\\\"\"}"));
        SchemaRegistryClient client = client(closedPort(), base());

        assertThat(client.byId(1).schema()).isEqualTo("\"int\"");
        assertThat(client.byId(1).schema()).isEqualTo("\"int\"");
        assertThat(hits).hasValue(2);
    }

    @Test
    void noAnsweringUrlMeansUnavailableNamingEach() {
        String closed = closedPort();

        assertThatThrownBy(() -> client(closed).byId(1))
                .isInstanceOf(RegistryUnavailableException.class)
                .hasMessageStartingWith("no schema registry answered: " + closed + "/schemas/ids/1: ConnectException");
    }

    @Test
    void sendsBasicAuthOrBearerTokenAndNeverShowsThem() {
        answers.put("/schemas/ids/1", new Answer(500, "{}"));
        SchemaRegistryClient basic = new SchemaRegistryClient(new SchemaRegistrySettings(
                List.of(URI.create(base())), "svc:s3cret", null, null, null, Duration.ofSeconds(5), null));
        SchemaRegistryClient bearer = new SchemaRegistryClient(new SchemaRegistrySettings(
                List.of(URI.create(base() + "/b")), null, "tok3n", null, null, Duration.ofSeconds(5), null));

        assertThatThrownBy(() -> basic.byId(1)).hasMessageNotContaining("s3cret");
        assertThatThrownBy(() -> bearer.byId(1)).hasMessageNotContaining("tok3n");
        assertThat(authorizations).containsEntry("/schemas/ids/1", "Basic c3ZjOnMzY3JldA==")
                .containsEntry("/b/schemas/ids/1", "Bearer tok3n");
    }

    private String base() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private static SchemaRegistryClient client(String... urls) {
        return new SchemaRegistryClient(new SchemaRegistrySettings(List.of(urls).stream().map(URI::create).toList(),
                null, null, null, Duration.ofSeconds(2), Duration.ofSeconds(5), null));
    }

    /** A loopback port nothing listens on: connections are refused at once. */
    private static String closedPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return "http://127.0.0.1:" + socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
