package dev.ssebridge.benchmarks.jmh;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.ssebridge.bridge.config.SchemaRegistrySettings;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import tools.jackson.databind.json.JsonMapper;

/**
 * A schema registry of fixed schemas on a loopback port. It lets a benchmark build the bridge's registry
 * decoders through their public entry point ({@code new SchemaDecoders(settings)}), so it measures the code a
 * bridge runs for a registry record without widening the bridge's API for a test source. It answers only
 * {@code GET /schemas/ids/{id}}, all a schema without references needs. The decoders ask once per id and keep
 * the schema, so the stub may stop once every schema has been asked for, before anything is measured.
 */
final class RegistryStub implements AutoCloseable {

    private final Map<String, byte[]> answers = new ConcurrentHashMap<>();
    private final HttpServer server;

    RegistryStub() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::answer);
        server.start();
    }

    /** Serves {@code schema}, of {@code type} ({@code AVRO}, {@code PROTOBUF}), under {@code id}. */
    RegistryStub add(int id, String type, String schema) {
        answers.put("/schemas/ids/" + id, JsonMapper.shared().writeValueAsBytes(Map.of("schema", schema, "schemaType", type)));
        return this;
    }

    /** What {@code bridge.schema-registry.*} would hold for this registry. */
    SchemaRegistrySettings settings(int cacheSize) {
        URI url = URI.create("http://" + server.getAddress().getHostString() + ":" + server.getAddress().getPort());
        return new SchemaRegistrySettings(List.of(url), null, null, null, null, null, cacheSize);
    }

    private void answer(HttpExchange exchange) throws IOException {
        try {
            byte[] body = answers.get(exchange.getRequestURI().getRawPath());
            if (body == null) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
        } finally {
            exchange.close();
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
