package dev.ssebridge.bridge.support;

import static org.awaitility.Awaitility.await;

import dev.ssebridge.bridge.BridgeApplication;
import dev.ssebridge.bridge.hub.ChannelHubs;
import dev.ssebridge.testsupport.TestKafka;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.http.client.ReactorResourceFactory;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * A real bridge application (real HTTP server on a free port) against the test broker. Several can run
 * at once, as separate instances of a deployment.
 */
public final class RunningBridge implements AutoCloseable {

    private final ConfigurableApplicationContext context;
    private final String clientIdPrefix;

    private RunningBridge(ConfigurableApplicationContext context, String clientIdPrefix) {
        this.context = context;
        this.clientIdPrefix = clientIdPrefix;
    }

    /** Starts a bridge serving {@code channels}, with short ping and retry intervals for tests. */
    public static RunningBridge start(TestChannels channels, Map<String, Object> extra) {
        return start(channels, extra, true);
    }

    /** As {@link #start(TestChannels, Map)}; {@code awaitTails} false for a bridge whose Kafka is not there. */
    public static RunningBridge start(TestChannels channels, Map<String, Object> extra, boolean awaitTails) {
        return start(channels, extra, awaitTails, context -> { });
    }

    /** As {@link #start(TestChannels, Map, boolean)}, with beans of the test's own registered first. */
    public static RunningBridge start(TestChannels channels, Map<String, Object> extra, boolean awaitTails,
                                      java.util.function.Consumer<GenericApplicationContext> beans) {
        String prefix = "it-" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, Object> props = new HashMap<>();
        props.put("server.port", 0);
        props.put("bridge.kafka.bootstrap-servers", TestKafka.bootstrapServers());
        props.put("bridge.kafka.monitor-interval", "250ms");
        props.put("bridge.stream.stalled-write-timeout", "2s");
        props.put("bridge.kafka.client-id-prefix", prefix);
        props.put("bridge.kafka.topic-retry-interval", "500ms");
        props.put("bridge.stream.ping-interval", "30s");
        props.put("spring.main.banner-mode", "off");
        // Every test client comes from 127.0.0.1: admission limits per address are for AdmissionIT to set.
        props.put("bridge.admission.max-connections-per-address", 100_000);
        props.put("bridge.admission.max-tcp-connections-per-address", 100_000);
        props.put("bridge.admission.max-awaiting-per-address", 100_000);
        props.put("bridge.admission.connection-rate-per-address", 100_000);
        props.put("bridge.admission.connection-burst-per-address", 100_000);
        props.put("spring.lifecycle.timeout-per-shutdown-phase", "5s");
        props.putAll(channels.properties());
        props.putAll(extra);
        // As command-line arguments: builder "properties" are defaults, below application.yml.
        String[] args = props.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue())
                .toArray(String[]::new);
        ConfigurableApplicationContext context = new SpringApplicationBuilder(BridgeApplication.class)
                // Several bridges share this JVM: each gets its own Netty event loops. With the default
                // global ones, closing one bridge would dispose the loops of the others.
                .initializers(ctx -> {
                    ((GenericApplicationContext) ctx).registerBean(ReactorResourceFactory.class, () -> {
                        ReactorResourceFactory resources = new ReactorResourceFactory();
                        resources.setUseGlobalResources(false);
                        return resources;
                    });
                    beans.accept((GenericApplicationContext) ctx);
                })
                .run(args);
        RunningBridge bridge = new RunningBridge(context, prefix);
        if (awaitTails) {
            try {
                bridge.awaitTailsAssigned();
            } catch (RuntimeException | Error e) {
                // The caller never gets the bridge to close.
                bridge.close();
                throw e;
            }
        }
        return bridge;
    }

    public static RunningBridge start(TestChannels channels) {
        return start(channels, Map.of());
    }

    /** Records produced after this returns are read by the tails (they start at the end of each partition). */
    public void awaitTailsAssigned() {
        ChannelHubs hubs = context.getBean(ChannelHubs.class);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> hubs.all().stream().allMatch(hub -> hub.positions() != null));
    }

    /** A port free now, for a bridge that must come back on the same one (a restart) or a server beside it. */
    public static int freePort() throws java.io.IOException {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    public int port() {
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    public String baseUrl() {
        return "http://localhost:" + port();
    }

    public WebClient webClient() {
        return WebClient.builder().baseUrl(baseUrl()).build();
    }

    /**
     * A client whose connections come from {@code localAddress} (any 127.0.0.x is loopback on Linux): another
     * client address than the tests' usual 127.0.0.1, as the server sees it.
     */
    public WebClient webClientFrom(String localAddress) {
        reactor.netty.http.client.HttpClient http = reactor.netty.http.client.HttpClient.create()
                .bindAddress(() -> new java.net.InetSocketAddress(localAddress, 0));
        return WebClient.builder().baseUrl("http://127.0.0.1:" + port())
                .clientConnector(new org.springframework.http.client.reactive.ReactorClientHttpConnector(http)).build();
    }

    public SseClient connect(String pathAndQuery) {
        return SseClient.connect(webClient(), pathAndQuery, Map.of());
    }

    public SseClient connect(String pathAndQuery, Map<String, String> headers) {
        return SseClient.connect(webClient(), pathAndQuery, headers);
    }

    /** A stream whose query the caller encoded itself: {@code path?name=} + {@link #encode(String)}. */
    public SseClient connectEncoded(String encodedPathAndQuery, Map<String, String> headers) {
        return SseClient.connect(webClient(), URI.create(baseUrl() + encodedPathAndQuery), headers);
    }

    /** GET a path whose query the caller encoded itself, as text. */
    public String getEncoded(String encodedPathAndQuery) {
        return webClient().get().uri(URI.create(baseUrl() + encodedPathAndQuery)).retrieve().bodyToMono(String.class)
                .block(Duration.ofSeconds(30));
    }

    /** A query parameter value, percent-encoded ({@code %20} for a space: {@code +} is a plus here). */
    public static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** GET {@code path} as text. */
    public String get(String path) {
        return webClient().get().uri(path).retrieve().bodyToMono(String.class).block(Duration.ofSeconds(30));
    }

    /** GET {@code path} as text, whatever the status (a health check answers 503 when DOWN). */
    public String getWhateverStatus(String path) {
        return webClient().get().uri(path).exchangeToMono(response -> response.bodyToMono(String.class))
                .block(Duration.ofSeconds(30));
    }

    /**
     * Value of the Prometheus sample {@code name} whose labels include every comma-separated
     * {@code label="value"} of {@code labels}, or NaN when there is none.
     */
    public double metric(String name, String labels) {
        String[] wanted = labels.isEmpty() ? new String[0] : labels.split(",");
        for (String line : get("/actuator/prometheus").split("\n")) {
            if (!(line.startsWith(name + "{") || line.startsWith(name + " "))) {
                continue;
            }
            if (java.util.Arrays.stream(wanted).allMatch(line::contains)) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return Double.NaN;
    }

    public <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    /**
     * Kafka consumers this instance has open, counted from the consumers' own JMX registrations
     * (every {@code KafkaConsumer} registers {@code kafka.consumer:type=consumer-metrics,client-id=...}
     * while open and unregisters on close).
     */
    public int openKafkaConsumers() {
        try {
            Set<ObjectName> names = ManagementFactory.getPlatformMBeanServer()
                    .queryNames(new ObjectName("kafka.consumer:type=consumer-metrics,client-id=" + clientIdPrefix + "-*"),
                            null);
            return names.size();
        } catch (MalformedObjectNameException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        context.close();
    }
}
