package dev.ssebridge.simulators;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ssebridge.schemas.EventJson;
import dev.ssebridge.schemas.EventType;
import dev.ssebridge.schemas.EventValidator;
import dev.ssebridge.schemas.Violation;
import dev.ssebridge.simulators.encoding.ValueFormat;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

public class SimulationsTest {

    private static final JsonMapper JSON = EventJson.mapper();

    @Test
    void thousandsOfGeneratedEventsValidateAgainstTheSchemas() {
        EventValidator validator = new EventValidator();
        Map<EventType, Integer> counts = new EnumMap<>(EventType.class);
        List<String> problems = new ArrayList<>();
        for (Simulations.Scheduled s : Simulations.create(defaults(), 1234)) {
            for (int t = 0; t < 1_500; t++) {
                for (Emission e : s.simulation().tick()) {
                    String json = JSON.writeValueAsString(e.payload());
                    List<Violation> violations = validator.validatePayload(s.simulation().type(), json);
                    if (!violations.isEmpty()) {
                        problems.add(violations + " in " + json);
                    }
                    counts.merge(s.simulation().type(), 1, Integer::sum);
                }
            }
        }
        assertThat(problems).isEmpty();
        assertThat(counts.get(EventType.TRAINING_PROGRESS)).isGreaterThan(1_000);
        assertThat(counts.get(EventType.BACKTEST_PROGRESS)).isGreaterThan(1_000);
        assertThat(counts.get(EventType.RISK_ALERT)).isGreaterThan(20);
        assertThat(counts.get(EventType.DASHBOARD_UPDATE)).isGreaterThan(1_000);
    }

    @Test
    void theSameSeedRepeatsTheRunAndAnotherDoesNot() {
        assertThat(render(42)).isEqualTo(render(42)).isNotEqualTo(render(43));
    }

    @Test
    void disablingAStreamDoesNotChangeTheOthers() {
        SimulatorProperties all = defaults();
        SimulatorProperties noTraining = new SimulatorProperties(null, null, ValueFormat.JSON, null, all.embedded(), true, 3, Map.of(),
                new SimulatorProperties.Training(false, "t", Duration.ofSeconds(1), 3, 60, 0.1),
                all.backtest(), all.risk(), all.portfolio());
        List<String> withAll = render(Simulations.create(all, 7).subList(1, 4));
        List<String> without = render(Simulations.create(noTraining, 7));
        assertThat(without).isEqualTo(withAll);
    }

    private static List<String> render(long seed) {
        return render(Simulations.create(defaults(), seed));
    }

    private static List<String> render(List<Simulations.Scheduled> simulations) {
        List<String> out = new ArrayList<>();
        for (Simulations.Scheduled s : simulations) {
            for (int t = 0; t < 200; t++) {
                for (Emission e : s.simulation().tick()) {
                    out.add(e.key() + " " + JSON.writeValueAsString(e.payload()));
                }
            }
        }
        return out;
    }

    /** The settings of a default run, for tests of what the simulations emit. */
    public static SimulatorProperties defaults() {
        return new SimulatorProperties(null, null, ValueFormat.JSON, null, new SimulatorProperties.Embedded("127.0.0.1", 9092, 9093, null), true, 3,
                Map.of(),
                new SimulatorProperties.Training(true, "mystocks.training.progress", Duration.ofSeconds(1), 3, 60, 0.1),
                new SimulatorProperties.Backtest(true, "mystocks.backtest.progress", Duration.ofMillis(500), 3, 126),
                new SimulatorProperties.Risk(true, "mystocks.risk.alerts", Duration.ofMillis(500), 3, 20, 0.025, 0.05),
                new SimulatorProperties.Portfolio(true, "mystocks.portfolio.updates", Duration.ofSeconds(1), 2));
    }
}
