package dev.ssebridge.bridge.clientlib;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ssebridge.bridge.support.RunningBridge;
import dev.ssebridge.bridge.support.TestChannels;
import dev.ssebridge.testsupport.TestTokens;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The client library ({@code client-js/}) in Node against a real bridge with security on: its tests in
 * {@code client-js/test/bridge/} drive {@link ClientTestControl} (records, tokens, proxies that drop and stall
 * connections, a bridge restart) and check every record arrives exactly once and in order, the state map, and
 * the refusals, in Node and in Chromium ({@code browser.test.mjs}, with playwright-core from {@code npm ci} in
 * {@code client-js}). Skipped where there is no Node, unless {@code SSEBRIDGE_REQUIRE_NODE=true} (CI) makes that a
 * failure; the Chromium runs skip without Chromium unless {@code SSEBRIDGE_REQUIRE_BROWSER=true}.
 */
class JsClientIT {

    private static final Path CLIENT = Path.of("..", "client-js").toAbsolutePath().normalize();

    @Test
    void theNodeClientKeepsTheBridgesPromises() throws Exception {
        boolean node = nodeAvailable();
        if (!node && !Boolean.parseBoolean(System.getenv("SSEBRIDGE_REQUIRE_NODE"))) {
            Assumptions.abort("no node on the PATH");
        }
        assertThat(node).as("node (18+) on the PATH").isTrue();
        Map<String, Object> settings = Map.of(
                "bridge.security.enabled", "true",
                "bridge.security.hmac-secret", TestTokens.SECRET,
                // Alerts (no conflation) fall behind within a few hundred events of a stalled reader.
                "bridge.stream.max-pending-events", "64",
                "bridge.stream.stalled-write-timeout", "30s");
        try (ClientTestControl control = new ClientTestControl(TestChannels.create(3), settings,
                RunningBridge.freePort())) {
            long hold = Long.getLong("jsclient.hold", 0);
            if (hold > 0) {
                // For working on the client: CONTROL_URL=<this> node --test test/bridge/ by hand, for `hold` seconds.
                LoggerFactory.getLogger(JsClientIT.class).warn("CONTROL_URL={}", control.url());
                Thread.sleep(hold * 1000);
            }
            // The files by name: Node 21 and later take no directory here.
            List<String> command = new ArrayList<>(List.of("node", "--test", "--test-concurrency=1"));
            try (Stream<Path> files = Files.list(CLIENT.resolve("test/bridge"))) {
                files.map(file -> "test/bridge/" + file.getFileName())
                        .filter(name -> name.endsWith(".test.mjs")).sorted().forEach(command::add);
            }
            ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(CLIENT.toFile())
                    .redirectErrorStream(true);
            builder.environment().put("CONTROL_URL", control.url());
            Process tests = builder.start();
            tests.getOutputStream().close();
            String output;
            try {
                output = readWithin(tests, 480);
            } finally {
                tests.destroyForcibly();
            }
            LoggerFactory.getLogger(JsClientIT.class).info("node --test test/bridge/ ({}):\n{}", control.url(), output);
            assertThat(tests.exitValue()).as("the client's tests against the bridge:\n%s", output).isZero();
            assertThat(output).contains("# fail 0").doesNotContain("# pass 0");
            if (Boolean.parseBoolean(System.getenv("SSEBRIDGE_REQUIRE_BROWSER"))) {
                // The Chromium runs skip only where there is no Chromium or playwright-core; CI has both.
                assertThat(output).contains("# skipped 0");
            }
        }
    }

    private static String readWithin(Process process, int seconds) throws IOException, InterruptedException {
        Path log = Files.createTempFile("js-client", ".log");
        Thread copier = new Thread(() -> {
            try {
                Files.copy(process.getInputStream(), log, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                // the process went away
            }
        });
        copier.start();
        boolean finished = process.waitFor(seconds, TimeUnit.SECONDS);
        if (!finished) {
            process.destroyForcibly();
        }
        copier.join(5000);
        String output = Files.readString(log, StandardCharsets.UTF_8);
        assertThat(finished).as("the client's tests finished within %d s:\n%s", seconds, output).isTrue();
        return output;
    }

    private static boolean nodeAvailable() {
        try {
            Process version = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
            return version.waitFor(10, TimeUnit.SECONDS) && version.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }
}
