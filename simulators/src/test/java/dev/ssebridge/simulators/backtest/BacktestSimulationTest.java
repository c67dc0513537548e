package dev.ssebridge.simulators.backtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.ssebridge.schemas.BacktestProgress;
import dev.ssebridge.schemas.RunStatus;
import dev.ssebridge.simulators.Emission;
import dev.ssebridge.simulators.maths.TradingCalendar;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BacktestSimulationTest {

    @Test
    void backtestsWalkTheTradingCalendarAndEndCompleted() {
        BacktestSimulation simulation = new BacktestSimulation(new SplittableRandom(7), 3, 50);
        Map<String, List<BacktestProgress>> runs = new LinkedHashMap<>();
        for (int t = 0; t < 200; t++) {
            for (Emission e : simulation.tick()) {
                BacktestProgress p = (BacktestProgress) e.payload();
                assertThat(e.key()).isEqualTo(p.backtestId());
                runs.computeIfAbsent(p.backtestId(), k -> new ArrayList<>()).add(p);
            }
        }

        assertThat(runs.size()).isEqualTo(12);
        for (List<BacktestProgress> run : runs.values()) {
            assertThat(run).hasSize(50);
            for (int i = 0; i < run.size(); i++) {
                BacktestProgress p = run.get(i);
                assertThat(TradingCalendar.isTradingDay(p.currentDate())).isTrue();
                assertThat(p.progress()).isCloseTo(100.0 * (i + 1) / 50, within(0.05));
                assertThat(p.results().maxDrawdown()).isLessThanOrEqualTo(0);
                if (i > 0) {
                    assertThat(p.currentDate()).isEqualTo(TradingCalendar.next(run.get(i - 1).currentDate()));
                    assertThat(p.results().maxDrawdown()).isLessThanOrEqualTo(run.get(i - 1).results().maxDrawdown());
                }
            }
            assertThat(run.get(48).status()).isEqualTo(RunStatus.RUNNING);
            assertThat(run.get(49).status()).isEqualTo(RunStatus.COMPLETED);
            assertThat(run.get(0).message()).isEqualTo("Simulating " + run.get(0).currentDate());
        }
    }

    @Test
    void strategiesDifferInRisk() {
        // Over many runs the volatile breakout strategy draws down further than pairs trading.
        BacktestSimulation simulation = new BacktestSimulation(new SplittableRandom(11), 4, 252);
        Map<String, Double> worst = new LinkedHashMap<>();
        for (int t = 0; t < 252 * 20; t++) {
            for (Emission e : simulation.tick()) {
                BacktestProgress p = (BacktestProgress) e.payload();
                worst.merge(p.strategy(), p.results().maxDrawdown(), Math::min);
            }
        }
        assertThat(worst.get("breakout")).isLessThan(worst.get("pairs_trading"));
    }
}
