package dev.ssebridge.bridge.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ssebridge.bridge.support.BridgeFixture;
import dev.ssebridge.bridge.support.HeadlessChromium;
import dev.ssebridge.bridge.support.RunningBridge;
import dev.ssebridge.testsupport.TestTokens;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.Select;

/** The dashboard page in a real headless browser, fed by a real broker through the bridge. */
class DashboardBrowserIT {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @RegisterExtension
    final BridgeFixture fixture = BridgeFixture.withPartitions(3).startedByEachTest();

    private ChromeDriver browser;

    @BeforeEach
    void start() {
        browser = HeadlessChromium.start();
    }

    @AfterEach
    void stop() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void everyPanelShowsWhatWasProducedThenKeepsUpLive() throws IOException {
        // An hour old, written before the bridge started: beyond the page's five minutes of history, but the
        // latest value of its key, which the stream's snapshot brings.
        fixture.producer().send(new ProducerRecord<>(fixture.topic("training"), null,
                System.currentTimeMillis() - Duration.ofHours(1).toMillis(), "task-gamma".getBytes(StandardCharsets.UTF_8),
                """
                {"task_id":"task-gamma","progress":12.0,"status":"running","message":"Training epoch 7/60","epoch":7,\
                "total_epochs":60,"metrics":{"loss":0.9,"accuracy":0.6}}""".getBytes(StandardCharsets.UTF_8)));
        RunningBridge bridge = fixture.start(Map.of());
        // Produced before the page opens: the page asks for the last five minutes.
        training("task-alpha", 45.5, 27, 0.3125, 0.8950, "running");
        training("task-beta", 100.0, 60, 0.0412, 0.9712, "completed");
        backtest("bt-momentum-1", "momentum", 67.3, "2024-06-14", 0.1523, 1.85, -0.0875);
        alert("var_exceeded", "high", "VaR exceeded threshold: 0.0625 > 0.0500", 0.0625, 0.05, "portfolio-001");
        portfolio("portfolio-001", 1_500_000.00, 0.0250, 15, 3);

        browser.get(bridge.baseUrl() + "/");

        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(text("tr[data-task='task-alpha'] .progress-value")).isEqualTo("45.5%");
            assertThat(text("tr[data-task='task-alpha'] .loss")).isEqualTo("0.3125");
            assertThat(text("tr[data-task='task-gamma'] .progress-value")).isEqualTo("12.0%");
            assertThat(text("tr[data-task='task-beta'] .status")).isEqualTo("completed");
            assertThat(text("tr[data-backtest='bt-momentum-1'] .total-return")).isEqualTo("15.23%");
            assertThat(text("tr[data-backtest='bt-momentum-1'] .sharpe")).isEqualTo("1.85");
            assertThat(text("tr[data-backtest='bt-momentum-1'] .drawdown")).isEqualTo("-8.75%");
            assertThat(text("#alert-feed li.severity-high .message")).isEqualTo("VaR exceeded threshold: 0.0625 > 0.0500");
            assertThat(text("[data-portfolio='portfolio-001'] .total-value")).isEqualTo("$1,500,000.00");
            assertThat(text("[data-portfolio='portfolio-001'] .daily-return")).isEqualTo("2.50%");
            assertThat(text("[data-portfolio='portfolio-001'] .positions-count")).isEqualTo("15");
            assertThat(text("[data-portfolio='portfolio-001'] .open-orders")).isEqualTo("3");
            assertThat(browser.findElements(By.cssSelector(".stream.live"))).hasSize(4);
        });
        assertThat(browser.findElements(By.cssSelector("#loss-chart canvas"))).isNotEmpty();
        // The four panels share one multiplexed connection.
        var status = tools.jackson.databind.json.JsonMapper.builder().build().readTree(bridge.get("/api/v1/sse/status"));
        assertThat(status.get("total_connections").asInt()).isEqualTo(1);
        assertThat(status.at("/channels/alerts/clients/0").asString()).startsWith("dashboard-");
        assertThat(status.at("/channels/training/snapshot/snapshots_served").asInt()).as("the page asks for snapshots")
                .isEqualTo(1);
        assertThat(bridge.metric("ssebridge_streams_compressed", "")).as("Chromium reads the stream gzipped")
                .isEqualTo(1.0);
        assertThat(browser.findElements(By.cssSelector("#equity-chart canvas"))).isNotEmpty();

        // Live: new records show up without a reload.
        training("task-alpha", 50.0, 30, 0.2901, 0.9012, "running");
        alert("drawdown_exceeded", "critical", "Drawdown exceeded threshold: 0.1143 > 0.0500", 0.1143, 0.05,
                "portfolio-002");
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(text("tr[data-task='task-alpha'] .progress-value")).isEqualTo("50.0%");
            assertThat(text("#alert-feed li:first-child .badge")).isEqualTo("critical");
        });
        screenshot("dashboard-it.png");
    }

    @Test
    void aBridgeRestartShowsAReconnectAndNoMissingOrRepeatedEvent() throws IOException {
        int port = RunningBridge.freePort();
        Map<String, Object> fixedPort = Map.of("server.port", port);
        RunningBridge bridge = fixture.start(fixedPort);
        alert("var_exceeded", "low", "alert 1", 0.026, 0.025, "portfolio-001");
        browser.get(bridge.baseUrl() + "/");
        await().atMost(WAIT).until(() -> messages().equals(List.of("alert 1")));
        alert("var_exceeded", "low", "alert 2", 0.027, 0.025, "portfolio-001");
        await().atMost(WAIT).until(() -> messages().equals(List.of("alert 2", "alert 1")));

        bridge.close();
        await().atMost(WAIT).until(() -> text("[data-stream='alerts'] b").equals("reconnecting"));
        alert("var_exceeded", "medium", "alert 3", 0.033, 0.025, "portfolio-001");
        bridge = fixture.start(fixedPort);
        alert("var_exceeded", "high", "alert 4", 0.040, 0.025, "portfolio-001");

        await().atMost(WAIT).until(() -> messages().size() >= 4);
        assertThat(messages()).containsExactly("alert 4", "alert 3", "alert 2", "alert 1");
        assertThat(text("[data-stream='alerts'] b")).isEqualTo("live");
    }

    /**
     * The demo as ./demo.sh runs it: security on, a record policy per portfolio, two users in /demo-users.json. The
     * page picks alice and shows her portfolios and their alerts only; picking bob shows his, and none of hers.
     */
    @Test
    void twoDemoUsersSeeDisjointPortfoliosAndAlerts() throws IOException {
        Path users = Files.createTempDirectory("demo-static");
        Files.writeString(users.resolve("demo-users.json"), """
                {"users":[{"name":"alice","portfolios":["portfolio-000","portfolio-002"],"token":"%s"},
                {"name":"bob","portfolios":["portfolio-001"],"token":"%s"}]}""".formatted(
                user("alice", "portfolio-000", "portfolio-002"), user("bob", "portfolio-001")));
        RunningBridge bridge = fixture.start(Map.of(
                "bridge.security.enabled", "true",
                "bridge.security.hmac-secret", TestTokens.SECRET,
                "bridge.security.status-access", "public",
                "bridge.channels.dashboard.policy", "record.key in claims.portfolios",
                "bridge.channels.alerts.policy", "value.entity_id in claims.portfolios",
                "spring.web.resources.static-locations", users.toUri() + ",classpath:/static/"));
        for (String id : List.of("portfolio-000", "portfolio-001", "portfolio-002")) {
            portfolio(id, 1_000_000, 0.01, 5, 1);
            alert("var_exceeded", "high", "alert on " + id, 0.06, 0.05, id);
        }

        browser.get(bridge.baseUrl() + "/");
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(portfoliosShown()).containsExactly("portfolio-000", "portfolio-002");
            assertThat(messages()).containsExactlyInAnyOrder("alert on portfolio-000", "alert on portfolio-002");
        });

        new Select(browser.findElement(By.id("user"))).selectByValue("bob");
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(portfoliosShown()).containsExactly("portfolio-001");
            assertThat(messages()).containsExactly("alert on portfolio-001");
        });
        // Live, too: a new update of alice's portfolio does not reach bob's page.
        portfolio("portfolio-000", 2_000_000, 0.02, 6, 2);
        portfolio("portfolio-001", 3_000_000, 0.03, 7, 3);
        await().atMost(WAIT).until(() -> text("[data-portfolio='portfolio-001'] .total-value").equals("$3,000,000.00"));
        assertThat(portfoliosShown()).containsExactly("portfolio-001");
    }

    private static String user(String name, String... portfolios) {
        return TestTokens.token(name, "sse:*", Duration.ofMinutes(10),
                Map.of("portfolios", List.of(portfolios)));
    }

    @SuppressWarnings("unchecked")
    private List<String> portfoliosShown() {
        return (List<String>) browser.executeScript(
                "return [...document.querySelectorAll('#portfolio-cards [data-portfolio]')].map(e => e.dataset.portfolio);");
    }

    @SuppressWarnings("unchecked")
    private List<String> messages() {
        return (List<String>) browser.executeScript(
                "return [...document.querySelectorAll('#alert-feed li .message')].map(e => e.textContent);");
    }

    /**
     * Text of the first element matching {@code css}, read in one script call: the page redraws its tables
     * several times a second, so an element found by one WebDriver call may be gone by the next.
     */
    private String text(String css) {
        Object text = browser.executeScript(
                "const e = document.querySelector(arguments[0]); return e ? e.textContent.trim() : '';", css);
        return (String) text;
    }

    private void screenshot(String name) throws IOException {
        Path target = Path.of("target", name);
        Files.createDirectories(target.getParent());
        Files.copy(browser.getScreenshotAs(OutputType.FILE).toPath(), target, StandardCopyOption.REPLACE_EXISTING);
    }

    private void training(String task, double progress, int epoch, double loss, double accuracy, String status) {
        fixture.producer().send(fixture.topic("training"), task, """
                {"task_id":"%s","progress":%s,"status":"%s","message":"Training epoch %d/60","epoch":%d,\
                "total_epochs":60,"metrics":{"loss":%s,"accuracy":%s}}""".formatted(task, progress, status, epoch, epoch,
                loss, accuracy));
    }

    private void backtest(String id, String strategy, double progress, String date, double ret, double sharpe, double dd) {
        fixture.producer().send(fixture.topic("backtest"), id, """
                {"backtest_id":"%s","strategy":"%s","progress":%s,"status":"running","message":"Simulating %s",\
                "current_date":"%s","results":{"total_return":%s,"sharpe_ratio":%s,"max_drawdown":%s}}"""
                .formatted(id, strategy, progress, date, date, ret, sharpe, dd));
    }

    private void alert(String type, String severity, String message, double value, double threshold, String entity) {
        fixture.producer().send(fixture.topic("alerts"), entity, """
                {"alert_type":"%s","severity":"%s","message":"%s","metric_name":"var_95","metric_value":%s,\
                "threshold":%s,"entity_type":"portfolio","entity_id":"%s"}"""
                .formatted(type, severity, message, value, threshold, entity));
    }

    private void portfolio(String id, double value, double dailyReturn, int positions, int orders) {
        fixture.producer().send(fixture.topic("dashboard"), id, """
                {"update_type":"metrics","portfolio_id":"%s","data":{"total_value":%s,"daily_return":%s,\
                "positions_count":%d,"open_orders":%d}}""".formatted(id, value, dailyReturn, positions, orders));
    }
}
