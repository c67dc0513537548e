package dev.ssebridge.bridge.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ssebridge.bridge.support.BridgeFixture;
import dev.ssebridge.bridge.support.RunningBridge;
import dev.ssebridge.bridge.support.SelfSignedKeystore;
import dev.ssebridge.testsupport.TestProducer;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.netty.http.Http2SslContextSpec;
import reactor.netty.http.HttpProtocol;
import reactor.netty.http.client.HttpClient;
import reactor.test.StepVerifier;

/** With server.http2.enabled the bridge speaks h2c, and h2 when TLS is configured. */
class Http2IT {

    @RegisterExtension
    final BridgeFixture fixture = BridgeFixture.withPartitions(1).startedByEachTest();

    @Test
    void anHttp2ClientReceivesAStreamOverCleartext() {
        RunningBridge bridge = fixture.start(Map.of("server.http2.enabled", "true"));
        HttpClient client = HttpClient.create().protocol(HttpProtocol.H2C);
        expectStream(client, bridge, "http://localhost:" + bridge.port());
    }

    @Test
    void anHttp2ClientReceivesAStreamOverTls() throws Exception {
        Map<String, Object> tls = new java.util.HashMap<>(SelfSignedKeystore.serverSettings());
        tls.put("server.http2.enabled", "true");
        RunningBridge bridge = fixture.start(tls);
        HttpClient client = HttpClient.create()
                .protocol(HttpProtocol.H2)
                .secure(spec -> spec.sslContext(Http2SslContextSpec.forClient()
                        .configure(builder -> builder.trustManager(InsecureTrustManagerFactory.INSTANCE))));
        expectStream(client, bridge, "https://localhost:" + bridge.port());
    }

    private void expectStream(HttpClient client, RunningBridge bridge, String base) {
        TestProducer producer = fixture.producer();
        String topic = fixture.topic("training");
        StepVerifier.create(client.get().uri(base + "/api/v1/sse/training")
                        .response((response, body) -> {
                            assertThat(response.version().text()).isEqualTo("HTTP/2.0");
                            assertThat(response.responseHeaders().get("content-type")).startsWith("text/event-stream");
                            return body.asString();
                        })
                        .filter(chunk -> chunk.contains("event: training_progress") || chunk.contains("event: connected")))
                .assertNext(chunk -> {
                    assertThat(chunk).contains("event: connected");
                    producer.send(topic, "task-1", "{\"task_id\":\"task-1\",\"progress\":5}");
                })
                .assertNext(chunk -> assertThat(chunk).contains("event: training_progress").contains("\"task-1\""))
                .thenCancel()
                .verify(Duration.ofSeconds(30));
        // HTTP/2 frames its own data: the route's HTTP/1.1 chunks are not for it.
        assertThat(bridge.bean(MeterRegistry.class).get("ssebridge.streams.chunked").counter().count()).isZero();
    }
}
