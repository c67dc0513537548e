package dev.ssebridge.bridge.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ssebridge.bridge.support.BridgeFixture;
import dev.ssebridge.bridge.support.SseClient;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code snapshot}, {@code max_rate} and {@code where}, fuzzed over HTTP against a running bridge: random values
 * (valid ones, edges, junk, mutations of valid expressions, non-ASCII, control characters) in random combinations,
 * on single-channel and multiplexed streams and on history. Every answer is a stream (200) or a 400 problem+json
 * naming a parameter the request sent ({@code where} with a position inside the expression); never a 500; and a
 * client that was streaming meanwhile still gets its events.
 */
class StreamOptionsFuzzIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final List<String> PATHS = List.of("/api/v1/sse/training", "/api/v1/sse/alerts",
            "/api/v1/sse/stream?channels=training,alerts", "/api/v1/sse/stream?channels=dashboard",
            "/api/v1/sse/history/training");
    private static final List<String> SNAPSHOTS = List.of("true", "false", "", "TRUE", "yes", "1", " true", "tru",
            "true\u0000", "\u00e9");
    private static final List<String> RATES = List.of("1", "0.5", "2", "100", "100.0", "0", "-1", "100.01", "1e2",
            "NaN", "Infinity", "0x10", "", " ", "1,5", "9".repeat(400), "0.0000001", "\u0661");
    private static final List<String> EXPRESSIONS = List.of("data.progress >= 0.5",
            "data.status in [\"running\", \"queued\"]", "has(data.task_id) && data.task_id.startsWith(\"task\")",
            "data.severity == \"high\" || !(data.x < 3)", "data[\"a b\"] == 1", "size(data.message) > 2",
            "data.message.matches(\"^Tr.*\")", "true", "1 + 2 == 3");

    @RegisterExtension
    static final BridgeFixture fixture = BridgeFixture.withPartitions(1).settings(java.util.Map.of(
            "bridge.admission.connection-rate-per-address", "10000",
            "bridge.admission.connection-burst-per-address", "10000"));

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(WAIT).build();

    @Test
    void everyCombinationIsAStreamOrA400NamingWhatWasWrong() throws Exception {
        try (SseClient watcher = fixture.bridge().connect("/api/v1/sse/training")) {
            watcher.awaitConnected();
            Random random = new Random(18);
            int streams = 0;
            int refused = 0;
            for (int i = 0; i < 400; i++) {
                List<String[]> parameters = parameters(random);
                String path = PATHS.get(random.nextInt(PATHS.size()));
                StringBuilder uri = new StringBuilder(fixture.bridge().baseUrl()).append(path);
                char separator = path.contains("?") ? '&' : '?';
                for (String[] p : parameters) {
                    uri.append(separator).append(p[0]).append('=').append(URLEncoder.encode(p[1], StandardCharsets.UTF_8));
                    separator = '&';
                }
                HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(URI.create(uri.toString()))
                        .timeout(WAIT).header("Accept-Encoding", "identity").GET().build(),
                        HttpResponse.BodyHandlers.ofInputStream());
                String what = uri.toString();
                try (InputStream body = response.body()) {
                    assertThat(response.statusCode()).as(what).isIn(200, 400);
                    if (response.statusCode() == 200) {
                        streams++;
                        continue;
                    }
                    refused++;
                    assertThat(response.headers().firstValue("Content-Type")).as(what).hasValue("application/problem+json");
                    JsonNode problem = JSON.readTree(body.readAllBytes());
                    String named = problem.path("parameter").asString();
                    Set<String> sent = new java.util.HashSet<>();
                    parameters.forEach(p -> sent.add(p[0]));
                    assertThat(sent).as(what + " -> " + problem).contains(named);
                    assertThat(problem.path("detail").asString()).as(what).isNotBlank();
                    List<String> expressions = parameters.stream().filter(p -> p[0].equals("where")).map(p -> p[1]).toList();
                    if (named.equals("where") && expressions.size() == 1 && !expressions.get(0).isBlank()) {
                        // A syntax error, not a missing or repeated expression: where it is.
                        assertThat(problem.path("position").asInt(-1)).as(what + " -> " + problem)
                                .isBetween(0, expressions.get(0).length());
                    }
                }
            }
            assertThat(streams).as("streams opened").isGreaterThan(40);
            assertThat(refused).as("requests refused").isGreaterThan(40);

            fixture.producer().send(fixture.topic("training"), "task-1", "{\"task_id\":\"task-1\",\"progress\":0.5}");
            assertThat(watcher.awaitNamed("training_progress", 1, WAIT)).hasSize(1);
        }
    }

    private static List<String[]> parameters(Random random) {
        List<String[]> parameters = new ArrayList<>();
        if (random.nextInt(3) == 0) {
            parameters.add(new String[] {"snapshot", pick(random, SNAPSHOTS)});
        }
        if (random.nextInt(3) == 0) {
            parameters.add(new String[] {"max_rate", pick(random, RATES)});
        }
        if (random.nextInt(2) == 0) {
            parameters.add(new String[] {"where", expression(random)});
        }
        if (random.nextInt(10) == 0 && !parameters.isEmpty()) {
            parameters.add(parameters.get(random.nextInt(parameters.size()))); // the same parameter twice
        }
        return parameters;
    }

    private static String expression(Random random) {
        String valid = pick(random, EXPRESSIONS);
        return switch (random.nextInt(5)) {
            case 0 -> valid;
            case 1 -> valid.substring(0, random.nextInt(valid.length() + 1));
            case 2 -> {
                StringBuilder mutated = new StringBuilder(valid);
                String noise = "()[]\"'.&|!=<>,\\ \u00e9\u2028x9";
                mutated.setCharAt(random.nextInt(mutated.length()), noise.charAt(random.nextInt(noise.length())));
                yield mutated.toString();
            }
            case 3 -> {
                StringBuilder junk = new StringBuilder();
                for (int n = random.nextInt(40); n > 0; n--) {
                    junk.append((char) (random.nextBoolean() ? 32 + random.nextInt(95) : random.nextInt(0x3000)));
                }
                yield junk.toString();
            }
            default -> valid + " && ".repeat(1 + random.nextInt(300)) + "true";
        };
    }

    private static String pick(Random random, List<String> values) {
        return values.get(random.nextInt(values.size()));
    }
}
