package dev.ssebridge.bridge.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ssebridge.bridge.support.RunningBridge;
import dev.ssebridge.bridge.support.SelfSignedKeystore;
import dev.ssebridge.bridge.support.TestChannels;
import dev.ssebridge.testsupport.TestProducer;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import reactor.netty.http.Http2SslContextSpec;
import reactor.netty.http.HttpProtocol;
import reactor.netty.http.client.HttpClient;
import reactor.test.StepVerifier;

/** With server.http2.enabled the bridge speaks h2c, and h2 when TLS is configured. */
class Http2IT {

    @Test
    void anHttp2ClientReceivesAStreamOverCleartext() {
        TestChannels channels = TestChannels.create(1);
        try (RunningBridge bridge = RunningBridge.start(channels, Map.of("server.http2.enabled", "true"));
             TestProducer producer = new TestProducer()) {
            HttpClient client = HttpClient.create().protocol(HttpProtocol.H2C);
            expectStream(client, "http://localhost:" + bridge.port(), channels, producer);
        }
    }

    @Test
    void anHttp2ClientReceivesAStreamOverTls() throws Exception {
        TestChannels channels = TestChannels.create(1);
        Map<String, Object> tls = new java.util.HashMap<>(SelfSignedKeystore.serverSettings());
        tls.put("server.http2.enabled", "true");
        try (RunningBridge bridge = RunningBridge.start(channels, tls);
             TestProducer producer = new TestProducer()) {
            HttpClient client = HttpClient.create()
                    .protocol(HttpProtocol.H2)
                    .secure(spec -> spec.sslContext(Http2SslContextSpec.forClient()
                            .configure(builder -> builder.trustManager(InsecureTrustManagerFactory.INSTANCE))));
            expectStream(client, "https://localhost:" + bridge.port(), channels, producer);
        }
    }

    private static void expectStream(HttpClient client, String base, TestChannels channels, TestProducer producer) {
        StepVerifier.create(client.get().uri(base + "/api/v1/sse/training")
                        .response((response, body) -> {
                            assertThat(response.version().text()).isEqualTo("HTTP/2.0");
                            assertThat(response.responseHeaders().get("content-type")).startsWith("text/event-stream");
                            return body.asString();
                        })
                        .filter(chunk -> chunk.contains("event: training_progress") || chunk.contains("event: connected")))
                .assertNext(chunk -> {
                    assertThat(chunk).contains("event: connected");
                    producer.send(channels.topic("training"), "task-1", "{\"task_id\":\"task-1\",\"progress\":5}");
                })
                .assertNext(chunk -> assertThat(chunk).contains("event: training_progress").contains("\"task-1\""))
                .thenCancel()
                .verify(Duration.ofSeconds(30));
    }
}
