package dev.ssebridge.bridge.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.ssebridge.bridge.support.BridgeFixture;
import dev.ssebridge.bridge.support.RunningBridge;
import dev.ssebridge.bridge.support.SseClient;
import dev.ssebridge.schemas.EventValidator;
import dev.ssebridge.testsupport.TestProducer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A producer's trace continued to the browser: on a channel with {@code trace-context}, a record's W3C
 * {@code traceparent} reaches the client in the event's envelope (where an EventSource can read it), with the
 * bridge's fan-out span as its parent, and that span (one per record, whatever the number of clients) goes to an
 * OTLP collector, a child of the producer's span. A collector served here receives what the bridge exports; the
 * messages are read with OpenTelemetry's own protobuf classes. Without the option the envelope is the seed's.
 */
class TraceContextIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String PRODUCER_SPAN = "00f067aa0ba902b7";

    private final List<ExportTraceServiceRequest> exported = new CopyOnWriteArrayList<>();
    private final HttpServer collector = collector();

    @RegisterExtension
    final BridgeFixture fixture = BridgeFixture.withPartitions(1).startedByEachTest();

    @AfterEach
    void stopCollector() {
        collector.stop(0);
    }

    @Test
    void aRecordsTraceReachesTheClientThroughTheBridgesFanOutSpan() throws Exception {
        RunningBridge bridge = fixture.start(Map.of(
                "bridge.channels.training.trace-context", "true",
                "management.opentelemetry.tracing.export.otlp.endpoint",
                "http://127.0.0.1:" + collector.getAddress().getPort() + "/v1/traces",
                "management.opentelemetry.tracing.export.schedule-delay", "100ms"));
        String training = fixture.topic("training");
        String alerts = fixture.topic("alerts");
        TestProducer producer = fixture.producer();
        try (SseClient client = bridge.connect("/api/v1/sse/training");
             SseClient second = bridge.connect("/api/v1/sse/training");
             SseClient others = bridge.connect("/api/v1/sse/alerts")) {
            client.awaitConnected();
            second.awaitConnected();
            others.awaitConnected();

            producer.send(traced(training, 1, "00-" + TRACE + "-" + PRODUCER_SPAN + "-01"));
            producer.send(traced(training, 2, null));
            producer.send(traced(training, 3, "00-" + TRACE + "-" + PRODUCER_SPAN + "-01\",\"injected\":\"x"));
            String unsampledTrace = "0af7651916cd43dd8448eb211c80319c";
            producer.send(traced(training, 4, "00-" + unsampledTrace + "-b7ad6b7169203331-00"));
            producer.send(traced(alerts, 5, "00-" + TRACE + "-" + PRODUCER_SPAN + "-01"));

            List<SseClient.Received> events = client.awaitNamed("training_progress", 4, WAIT);
            JsonNode first = events.get(0).json();
            String traceparent = first.get("traceparent").asString();
            assertThat(traceparent).as("the producer's trace, continued from the bridge's span")
                    .startsWith("00-" + TRACE + "-").endsWith("-01").doesNotContain(PRODUCER_SPAN);
            String bridgeSpan = traceparent.substring(36, 52);
            assertThat(new EventValidator().validateEnvelope(events.get(0).data())).as("the published envelope schema")
                    .isEmpty();
            assertThat(second.awaitNamed("training_progress", 4, WAIT).get(0).json().get("traceparent").asString())
                    .as("one span per record, the same for every client").isEqualTo(traceparent);
            assertThat(events.get(1).json().has("traceparent")).as("a record without one").isFalse();
            assertThat(events.get(2).json().has("traceparent")).as("a malformed one is dropped").isFalse();
            assertThat(events.get(2).json().has("injected")).isFalse();
            assertThat(events.get(3).json().get("traceparent").asString()).as("not sampled by the producer")
                    .startsWith("00-" + unsampledTrace + "-").endsWith("-00");
            JsonNode alert = others.awaitNamed("risk_alert", 1, WAIT).get(0).json();
            assertThat(alert.has("traceparent")).as("a channel without trace-context keeps the seed's envelope")
                    .isFalse();
            assertThat(alert.properties().stream().map(Map.Entry::getKey).toList())
                    .containsExactly("event", "data", "timestamp");

            await().atMost(WAIT).until(() -> !spansOf(TRACE).isEmpty());
            List<Span> spans = spansOf(TRACE);
            assertThat(spans).as("one span per record, not per connection").hasSize(1);
            Span span = spans.get(0);
            assertThat(hex(span.getSpanId().toByteArray())).isEqualTo(bridgeSpan);
            assertThat(hex(span.getParentSpanId().toByteArray())).isEqualTo(PRODUCER_SPAN);
            assertThat(span.getName()).isEqualTo("ssebridge fan-out training");
            assertThat(span.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_CONSUMER);
            Map<String, String> attributes = span.getAttributesList().stream()
                    .collect(Collectors.toMap(KeyValue::getKey, kv -> kv.getValue().getStringValue()));
            assertThat(attributes).containsEntry("messaging.destination.name", training)
                    .containsEntry("messaging.kafka.offset", "0")
                    .containsEntry("ssebridge.channel", "training")
                    .containsEntry("ssebridge.subscribers", "2")
                    .containsEntry("ssebridge.outcome", "published");
            assertThat(spansOf(unsampledTrace)).as("the producer's sampling decision holds").isEmpty();

            // History carries the trace context too.
            JsonNode history = JSON.readTree(bridge.get("/api/v1/sse/history/training"));
            assertThat(history.at("/events/0/traceparent").asString()).isEqualTo(traceparent);
            assertThat(history.at("/events/1").has("traceparent")).isFalse();
        }
    }

    private static ProducerRecord<byte[], byte[]> traced(String topic, int seq, String traceparent) {
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, 0, ("k" + seq).getBytes(StandardCharsets.UTF_8),
                ("{\"seq\":" + seq + ",\"severity\":\"low\"}").getBytes(StandardCharsets.UTF_8));
        if (traceparent != null) {
            record.headers().add(TraceParent.HEADER, traceparent.getBytes(StandardCharsets.UTF_8));
        }
        return record;
    }

    private List<Span> spansOf(String traceId) {
        return exported.stream()
                .flatMap(request -> request.getResourceSpansList().stream())
                .flatMap(resource -> resource.getScopeSpansList().stream())
                .flatMap(scope -> scope.getSpansList().stream())
                .filter(span -> hex(span.getTraceId().toByteArray()).equals(traceId))
                .toList();
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    /** An OTLP/HTTP trace receiver: keeps each export request, answers 200 with an empty response. */
    private HttpServer collector() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/v1/traces", exchange -> {
                try (exchange) {
                    exported.add(ExportTraceServiceRequest.parseFrom(exchange.getRequestBody().readAllBytes()));
                    exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
                    exchange.sendResponseHeaders(200, -1);
                }
            });
            server.start();
            return server;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
