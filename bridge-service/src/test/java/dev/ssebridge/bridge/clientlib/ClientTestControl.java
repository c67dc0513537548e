package dev.ssebridge.bridge.clientlib;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.ssebridge.bridge.support.RunningBridge;
import dev.ssebridge.bridge.support.TestChannels;
import dev.ssebridge.testsupport.TestKafka;
import dev.ssebridge.testsupport.TestProducer;
import dev.ssebridge.testsupport.TestTokens;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.RecordMetadata;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the client library's Node tests drive over HTTP: a real bridge (security on, restartable on the same port),
 * a producer into its channels' topics, tokens, and proxies between client and bridge that drop or stall
 * connections. The tests say what happens and when; this side does what only the JVM can here (Kafka, tokens).
 *
 * <ul>
 *   <li>{@code GET /config}: the bridge's URL and each channel's event name and key field</li>
 *   <li>{@code POST /produce?channel=&count=&keys=&prefix=&pad=}: produces {@code count} records over {@code keys} keys and
 *       answers each one's key, seq, partition and offset; {@code POST /tombstone?channel=&key=}</li>
 *   <li>{@code GET /token?ttl=PT3S&scope=}: a signed token</li>
 *   <li>{@code POST /restart}: stops the bridge and starts it again on the same port</li>
 *   <li>{@code POST /proxy}: a new proxy's port; {@code POST /proxy/{drop,stall,resume}?port=}</li>
 *   <li>{@code GET /fake/...}, {@code /malformed/...}, {@code /busy/...}: answers that are not the bridge's (HTML,
 *       a malformed event, a 429 with {@code Retry-After}, no answer, a stream that goes quiet)</li>
 * </ul>
 */
final class ClientTestControl implements AutoCloseable {

    /** Each channel's key field in the test records (the seed's): the client's state map keys by it. */
    static final Map<String, String> KEY_FIELDS = Map.of(
            "training", "task_id", "backtest", "backtest_id", "alerts", "entity_id", "dashboard", "portfolio_id");

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final TestChannels channels;
    private final Map<String, Object> settings;
    private final int bridgePort;
    private final HttpServer server;
    private final TestProducer producer = new TestProducer(TestKafka.bootstrapServers());
    private final Map<Integer, DroppingProxy> proxies = new ConcurrentHashMap<>();
    private final AtomicInteger seq = new AtomicInteger();
    private final AtomicInteger busyRequests = new AtomicInteger();
    private volatile RunningBridge bridge;

    ClientTestControl(TestChannels channels, Map<String, Object> settings, int bridgePort) throws IOException {
        this.channels = channels;
        this.bridgePort = bridgePort;
        this.settings = new HashMap<>(settings);
        this.settings.put("server.port", bridgePort);
        this.bridge = RunningBridge.start(channels, this.settings);
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        // Daemon threads: a handler that holds its request (/silent, /idle) must not keep the JVM alive.
        server.setExecutor(Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "client-test-control");
            thread.setDaemon(true);
            return thread;
        }));
        server.createContext("/", this::handle);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            Map<String, String> query = query(exchange.getRequestURI());
            switch (path) {
                case "/config" -> json(exchange, config());
                case "/produce" -> json(exchange, produce(query.get("channel"), Integer.parseInt(query.get("count")),
                        Integer.parseInt(query.getOrDefault("keys", "5")), query.getOrDefault("prefix", "k"),
                        Integer.parseInt(query.getOrDefault("pad", "0"))));
                case "/tombstone" -> json(exchange, tombstone(query.get("channel"), query.get("key")));
                case "/token" -> text(exchange, 200, "text/plain", TestTokens.token("js-client",
                        query.getOrDefault("scope", "sse:*"), Duration.parse(query.getOrDefault("ttl", "PT10M"))));
                case "/restart" -> {
                    bridge.close();
                    bridge = RunningBridge.start(channels, settings);
                    json(exchange, Map.of("restarted", true));
                }
                case "/proxy" -> {
                    DroppingProxy proxy = new DroppingProxy(bridgePort);
                    proxies.put(proxy.port(), proxy);
                    json(exchange, Map.of("port", proxy.port()));
                }
                case "/proxy/drop" -> json(exchange, Map.of("dropped", proxy(query).drop()));
                case "/proxy/stall" -> {
                    proxy(query).stall();
                    json(exchange, Map.of("stalled", true));
                }
                case "/proxy/resume" -> {
                    proxy(query).resume();
                    json(exchange, Map.of("resumed", true));
                }
                case "/busy/api/v1/sse/stream" -> busy(exchange);
                case "/silent/api/v1/sse/stream" -> hold(exchange, false);
                case "/idle/api/v1/sse/stream" -> hold(exchange, true);
                case "/fake/api/v1/sse/stream" -> text(exchange, 200, "text/html", "<html>a login page</html>");
                case "/malformed/api/v1/sse/stream" -> text(exchange, 200, "text/event-stream",
                        "id: c1\nevent: training_progress\ndata: {not json\n\n"
                                + "id: c2\nevent: training_progress\ndata: {\"event\":\"training_progress\","
                                + "\"data\":{\"task_id\":\"t\"},\"timestamp\":\"2026-01-01T00:00:00Z\"}\n\n"
                                + "id: c3\nevent: stream_end\ndata: {\"event\":\"stream_end\",\"data\":{\"reason\":"
                                + "\"replaced\",\"message\":\"m\"},\"timestamp\":\"2026-01-01T00:00:00Z\"}\n\n");
                default -> text(exchange, 404, "text/plain", "no " + path);
            }
        } catch (RuntimeException e) {
            text(exchange, 500, "text/plain", String.valueOf(e));
        }
    }

    /** The first request of each pair: 429 with {@code Retry-After: 1}; the second: a stream that ends at once. */
    private void busy(HttpExchange exchange) throws IOException {
        if (busyRequests.incrementAndGet() % 2 == 1) {
            exchange.getResponseHeaders().set("Retry-After", "1");
            text(exchange, 429, "application/problem+json", "{\"title\":\"Too Many Requests\",\"status\":429}");
        } else {
            text(exchange, 200, "text/event-stream", "id: b1\nevent: stream_end\ndata: {\"event\":\"stream_end\","
                    + "\"data\":{\"reason\":\"replaced\",\"message\":\"m\"},\"timestamp\":\"2026-01-01T00:00:00Z\"}\n\n");
        }
    }

    /**
     * Holds the request for a minute: with {@code started}, after the headers and one event (a stream that went
     * quiet), else before any answer (a server that never answers).
     */
    private static void hold(HttpExchange exchange, boolean started) throws IOException {
        if (started) {
            exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
            exchange.sendResponseHeaders(200, 0);
            exchange.getResponseBody().write(("id: i1\nevent: connected\ndata: {\"event\":\"connected\",\"data\":{},"
                    + "\"timestamp\":\"2026-01-01T00:00:00Z\"}\n\n").getBytes(StandardCharsets.UTF_8));
            exchange.getResponseBody().flush();
        }
        try {
            Thread.sleep(60_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private DroppingProxy proxy(Map<String, String> query) {
        return proxies.get(Integer.parseInt(query.get("port")));
    }

    private Map<String, Object> config() {
        Map<String, Object> byChannel = new LinkedHashMap<>();
        channels.topics().keySet().forEach(channel -> byChannel.put(channel,
                Map.of("event", TestChannels.EVENT_NAMES.get(channel), "key", KEY_FIELDS.get(channel))));
        return Map.of("bridge", "http://127.0.0.1:" + bridgePort, "channels", byChannel);
    }

    /**
     * Records of {@code channel}: keys {@code prefix0..prefix(keys-1)} in turn, each value naming its key and a seq
     * unique across all records, and {@code pad} random characters (which gzip cannot shrink: a stalled reader's
     * socket fills as fast with a compressed stream as with a plain one).
     */
    private List<Map<String, Object>> produce(String channel, int count, int keys, String prefix, int pad) {
        List<Map<String, Object>> sent = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int n = seq.incrementAndGet();
            String key = prefix + (n % keys);
            Map<String, Object> value = new LinkedHashMap<>();
            value.put(KEY_FIELDS.get(channel), key);
            value.put("seq", n);
            value.put("progress", n % 100);
            value.put("status", "running");
            value.put("message", "record " + n);
            if (pad > 0) {
                byte[] noise = new byte[pad * 3 / 4 + 1];
                java.util.concurrent.ThreadLocalRandom.current().nextBytes(noise);
                value.put("pad", java.util.Base64.getEncoder().encodeToString(noise));
            }
            RecordMetadata meta = producer.send(channels.topic(channel), key, JSON.writeValueAsString(value));
            sent.add(Map.of("channel", channel, "key", key, "seq", n, "partition", meta.partition(),
                    "offset", meta.offset(), "value", value));
        }
        return sent;
    }

    private Map<String, Object> tombstone(String channel, String key) {
        RecordMetadata meta = producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(
                channels.topic(channel), key.getBytes(StandardCharsets.UTF_8), null));
        return Map.of("channel", channel, "key", key, "partition", meta.partition(), "offset", meta.offset());
    }

    private static Map<String, String> query(URI uri) {
        Map<String, String> query = new HashMap<>();
        if (uri.getRawQuery() != null) {
            for (String pair : uri.getRawQuery().split("&")) {
                int eq = pair.indexOf('=');
                query.put(decode(eq < 0 ? pair : pair.substring(0, eq)), eq < 0 ? "" : decode(pair.substring(eq + 1)));
            }
        }
        return query;
    }

    private static String decode(String s) {
        return java.net.URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    private static void json(HttpExchange exchange, Object body) throws IOException {
        text(exchange, 200, "application/json", JSON.writeValueAsString(body));
    }

    private static void text(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        proxies.values().forEach(DroppingProxy::close);
        producer.close();
        bridge.close();
    }
}
