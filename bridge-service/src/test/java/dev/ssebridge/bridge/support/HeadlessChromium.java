package dev.ssebridge.bridge.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * A real headless Chromium (Debian's {@code chromium} and {@code chromium-driver} packages, which
 * {@code .ci/run} installs) driven by Selenium. Nothing is downloaded: both binaries must be on the machine.
 * Without them the browser tests are skipped, unless {@code SSEBRIDGE_REQUIRE_BROWSER=true} in the environment
 * (set by CI) or {@code -Dssebridge.require-browser=true}, which make their absence a failure.
 */
public final class HeadlessChromium {

    private static final Path CHROMIUM = Path.of(System.getProperty("ssebridge.chromium", "/usr/bin/chromium"));
    private static final Path DRIVER = Path.of(System.getProperty("ssebridge.chromedriver", "/usr/bin/chromedriver"));

    private HeadlessChromium() {
    }

    public static ChromeDriver start() {
        boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(DRIVER);
        if (Boolean.getBoolean("ssebridge.require-browser")
                || Boolean.parseBoolean(System.getenv("SSEBRIDGE_REQUIRE_BROWSER"))) {
            assertThat(present).as("%s and %s (apt-get install chromium chromium-driver)", CHROMIUM, DRIVER).isTrue();
        }
        assumeTrue(present, "no " + CHROMIUM + " / " + DRIVER + ": apt-get install chromium chromium-driver");
        Path profile;
        try {
            profile = Files.createTempDirectory("ssebridge-chromium-");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(DRIVER.toFile())
                .usingAnyFreePort()
                .build();
        ChromeOptions options = new ChromeOptions()
                .setBinary(CHROMIUM.toFile())
                // Without the background-networking switches Chromium keeps dialling Google, which this
                // machine's closed network refuses.
                .addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                        "--disable-background-networking", "--disable-component-update", "--disable-sync",
                        "--no-first-run", "--disable-quic", "--window-size=1400,1100",
                        "--user-data-dir=" + profile);
        return new ChromeDriver(service, options);
    }
}
