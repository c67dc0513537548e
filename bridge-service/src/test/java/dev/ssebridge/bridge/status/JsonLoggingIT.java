package dev.ssebridge.bridge.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ssebridge.bridge.support.BridgeFixture;
import dev.ssebridge.testsupport.TestKafka;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The packaged bridge, run as users run it ({@code java -jar}), logging structured JSON by configuration,
 * and keeping a secret given in its Kafka settings out of its logs, status and metrics.
 */
class JsonLoggingIT {

    private static final String SECRET = "s3cr3t-Kafka-pa55word";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** Topics only: the test runs the bridge itself, as a process. */
    @RegisterExtension
    final BridgeFixture fixture = BridgeFixture.withPartitions(1).startedByEachTest();

    @Test
    void logsAreJsonLinesAndSecretsStayOutOfLogsStatusAndMetrics() throws Exception {
        List<String> command = new ArrayList<>(List.of(javaBinary(), "-jar", bridgeJar().toString(),
                "--server.port=0", "--spring.main.banner-mode=off",
                "--logging.structured.format.console=ecs",
                "--bridge.kafka.bootstrap-servers=" + TestKafka.bootstrapServers(),
                "--bridge.kafka.properties.ssl.key.password=" + SECRET,
                "--logging.level.dev.ssebridge=DEBUG"));
        fixture.channels().properties().forEach((k, v) -> command.add("--" + k + "=" + v));
        Process bridge = new ProcessBuilder(command).redirectErrorStream(true).start();
        List<String> lines = new CopyOnWriteArrayList<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(bridge.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    lines.add(line);
                }
            } catch (IOException ignored) {
                // the process ended
            }
        });
        reader.start();
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> port(lines) > 0 || !bridge.isAlive());
            int port = port(lines);
            assertThat(port).as("started; output: %s", lines).isPositive();
            await().atMost(Duration.ofSeconds(30)).until(() -> lines.stream().anyMatch(l -> l.contains("reading topic")));
            String status = get(port, "/api/v1/sse/status");
            String metrics = get(port, "/actuator/prometheus");
            String health = get(port, "/actuator/health");

            assertThat(lines).isNotEmpty().allSatisfy(line -> {
                JsonNode entry = JSON.readTree(line);
                assertThat(entry.has("@timestamp")).as(line).isTrue();
                assertThat(entry.at("/log/level").asString()).as(line).isNotBlank();
                assertThat(entry.has("message")).as(line).isTrue();
            });
            assertThat(String.join("\n", lines)).doesNotContain(SECRET);
            assertThat(status).contains("\"total_connections\"").doesNotContain(SECRET);
            assertThat(metrics).contains("ssebridge_").doesNotContain(SECRET);
            assertThat(health).doesNotContain(SECRET);
        } finally {
            bridge.destroy();
            bridge.waitFor();
            reader.join(5_000);
        }
    }

    private static int port(List<String> lines) {
        Pattern started = Pattern.compile("Netty started on port (\\d+)");
        for (String line : lines) {
            Matcher m = started.matcher(line);
            if (m.find()) {
                return Integer.parseInt(m.group(1));
            }
        }
        return -1;
    }

    private static String get(int port, String path) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        return response.body();
    }

    private static Path bridgeJar() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("target"))) {
            // The runnable jar, not the plain jar of classes the JMH module builds against (-plain.jar).
            return files.filter(p -> p.getFileName().toString().matches("bridge-service-[0-9][^-]*(-SNAPSHOT)?\\.jar"))
                    .filter(p -> !p.getFileName().toString().endsWith(".original"))
                    .findFirst().orElseThrow(() -> new IllegalStateException("run after package: no bridge jar in target/"));
        }
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
