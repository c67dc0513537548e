package dev.ssebridge.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

class EventValidatorTest {

    private static final EventValidator validator = new EventValidator();
    private static final JsonMapper json = EventJson.mapper();

    @ParameterizedTest
    @EnumSource(EventType.class)
    void seedExampleEventsAreValid(EventType type) {
        JsonNode event = seedExample(type);

        assertThat(validator.validateEnvelope(event.toString())).isEmpty();
        assertThat(event.get("event").asString()).isEqualTo(type.eventName());
        assertThat(validator.validatePayload(type, event.get("data").toString())).isEmpty();
    }

    @Test
    void missingRequiredFieldIsNamed() {
        ObjectNode data = (ObjectNode) seedExample(EventType.TRAINING_PROGRESS).get("data");
        data.remove("task_id");

        assertThat(messages(validator.validatePayload(EventType.TRAINING_PROGRESS, data.toString())))
                .singleElement().asString().contains("task_id");
    }

    @Test
    void progressAboveHundredIsRejectedNamingTheField() {
        ObjectNode data = (ObjectNode) seedExample(EventType.TRAINING_PROGRESS).get("data");
        data.put("progress", 100.5);

        List<Violation> violations = validator.validatePayload(EventType.TRAINING_PROGRESS, data.toString());
        assertThat(violations).singleElement().satisfies(v -> {
            assertThat(v.location()).contains("progress");
            assertThat(v.message()).contains("progress");
        });
    }

    @Test
    void unknownSeverityIsRejected() {
        ObjectNode data = (ObjectNode) seedExample(EventType.RISK_ALERT).get("data");
        data.put("severity", "urgent");

        assertThat(messages(validator.validatePayload(EventType.RISK_ALERT, data.toString())))
                .singleElement().asString().contains("severity");
    }

    @Test
    void positiveDrawdownIsRejected() {
        ObjectNode data = (ObjectNode) seedExample(EventType.BACKTEST_PROGRESS).get("data");
        ((ObjectNode) data.get("results")).put("max_drawdown", 0.1);

        assertThat(messages(validator.validatePayload(EventType.BACKTEST_PROGRESS, data.toString())))
                .singleElement().asString().contains("max_drawdown");
    }

    @Test
    void metricsUpdateWithoutTotalValueIsRejected() {
        ObjectNode data = (ObjectNode) seedExample(EventType.DASHBOARD_UPDATE).get("data");
        ((ObjectNode) data.get("data")).remove("total_value");

        assertThat(messages(validator.validatePayload(EventType.DASHBOARD_UPDATE, data.toString())))
                .anySatisfy(m -> assertThat(m).contains("total_value"));
    }

    @Test
    void envelopeWithoutTimestampOrWithLocalTimeIsRejected() {
        ObjectNode event = (ObjectNode) seedExample(EventType.RISK_ALERT);
        event.put("timestamp", "2025-10-24 15:32:00");
        assertThat(messages(validator.validateEnvelope(event.toString())))
                .anySatisfy(m -> assertThat(m).contains("timestamp"));

        event.remove("timestamp");
        assertThat(messages(validator.validateEnvelope(event.toString())))
                .singleElement().asString().contains("timestamp");
    }

    @Test
    void recordsSerialiseToValidPayloads() {
        var training = new TrainingProgress("task-1", 45.0, RunStatus.RUNNING, "Training epoch 45/100",
                45, 100, null, new TrainingProgress.Metrics(0.31, 0.89));
        var backtest = new BacktestProgress("bt-1", "momentum", 50.0, RunStatus.RUNNING, "Simulating 2024-06-14",
                LocalDate.of(2024, 6, 14), new BacktestProgress.Results(0.12, 1.4, -0.08));
        var alert = new RiskAlert("var_exceeded", Severity.HIGH, "VaR exceeded", "var_95", 0.0625, 0.05,
                "portfolio", "portfolio-001");
        var metrics = DashboardUpdate.metrics("portfolio-001",
                new DashboardUpdate.PortfolioMetrics(1_500_000, 0.025, 15, 3));
        var positions = DashboardUpdate.positions("portfolio-001",
                List.of(new DashboardUpdate.Position("AAPL", 100, 190.5, 19_050)));
        var orders = DashboardUpdate.orders("portfolio-001",
                List.of(new DashboardUpdate.Order("o-1", "MSFT", "buy", 10, 410.0, "open")));

        assertThat(validator.validatePayload(EventType.TRAINING_PROGRESS, json.writeValueAsString(training))).isEmpty();
        assertThat(validator.validatePayload(EventType.BACKTEST_PROGRESS, json.writeValueAsString(backtest))).isEmpty();
        assertThat(validator.validatePayload(EventType.RISK_ALERT, json.writeValueAsString(alert))).isEmpty();
        for (DashboardUpdate update : List.of(metrics, positions, orders)) {
            assertThat(validator.validatePayload(EventType.DASHBOARD_UPDATE, json.writeValueAsString(update))).isEmpty();
        }
    }

    @Test
    void recordsReadBackFromTheSeedExamples() {
        DashboardUpdate update = json.treeToValue(
                seedExample(EventType.DASHBOARD_UPDATE).get("data"), DashboardUpdate.class);
        assertThat(update.data()).isInstanceOf(DashboardUpdate.PortfolioMetrics.class);
        assertThat(((DashboardUpdate.PortfolioMetrics) update.data()).openOrders()).isEqualTo(3);

        RiskAlert alert = json.treeToValue(seedExample(EventType.RISK_ALERT).get("data"), RiskAlert.class);
        assertThat(alert.severity()).isEqualTo(Severity.HIGH);
    }

    private static List<String> messages(List<Violation> violations) {
        return violations.stream().map(Violation::message).toList();
    }

    private static JsonNode seedExample(EventType type) {
        try (InputStream in = EventValidatorTest.class.getResourceAsStream("/seed/" + type.eventName() + ".json")) {
            return json.readTree(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
