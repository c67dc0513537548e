package dev.ssebridge.simulators.training;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ssebridge.schemas.RunStatus;
import dev.ssebridge.schemas.TrainingProgress;
import dev.ssebridge.simulators.Emission;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TrainingSimulationTest {

    @Test
    void eachTaskAdvancesAnEpochPerTickAndEndsOnce() {
        TrainingSimulation simulation = new TrainingSimulation(new SplittableRandom(1), 4, 40, 0.3);
        Map<String, List<TrainingProgress>> byTask = run(simulation, 2_000);

        assertThat(byTask.size()).isGreaterThan(100);
        for (var events : byTask.values()) {
            for (int i = 1; i < events.size(); i++) {
                TrainingProgress previous = events.get(i - 1);
                TrainingProgress current = events.get(i);
                assertThat(current.progress()).isGreaterThanOrEqualTo(previous.progress());
                assertThat(current.epoch()).isEqualTo(previous.epoch() + 1);
                assertThat(previous.status()).isEqualTo(RunStatus.RUNNING);
            }
        }
    }

    @Test
    void lossFallsAndAccuracyRisesOverATraining() {
        TrainingSimulation simulation = new TrainingSimulation(new SplittableRandom(2), 3, 60, 0.0);
        Map<String, List<TrainingProgress>> byTask = run(simulation, 600);

        List<List<TrainingProgress>> complete = byTask.values().stream()
                .filter(e -> e.get(0).epoch() == 1 && e.get(e.size() - 1).status() == RunStatus.COMPLETED)
                .toList();
        assertThat(complete).hasSizeGreaterThan(10);
        for (var events : complete) {
            TrainingProgress first = events.get(0);
            TrainingProgress last = events.get(events.size() - 1);
            assertThat(last.metrics().loss()).isLessThan(first.metrics().loss() / 3);
            assertThat(last.metrics().accuracy()).isGreaterThan(first.metrics().accuracy() + 0.4);
            assertThat(last.metrics().accuracy()).isBetween(0.8, 1.0);
            assertThat(last.progress()).isEqualTo(100.0);
            assertThat(events.get(29).message()).isEqualTo("Training epoch 30/60");
        }
    }

    @Test
    void someTasksFailWithAReason() {
        TrainingSimulation simulation = new TrainingSimulation(new SplittableRandom(3), 3, 20, 0.5);
        List<TrainingProgress> failed = run(simulation, 1_000).values().stream()
                .map(e -> e.get(e.size() - 1))
                .filter(e -> e.status() == RunStatus.FAILED)
                .toList();

        assertThat(failed).isNotEmpty().allSatisfy(f -> {
            assertThat(f.error()).isNotBlank();
            assertThat(f.message()).startsWith("Training failed at epoch").endsWith(f.error());
        });
    }

    private static Map<String, List<TrainingProgress>> run(TrainingSimulation simulation, int ticks) {
        Map<String, List<TrainingProgress>> byTask = new HashMap<>();
        for (int t = 0; t < ticks; t++) {
            for (Emission e : simulation.tick()) {
                TrainingProgress p = (TrainingProgress) e.payload();
                assertThat(e.key()).isEqualTo(p.taskId());
                byTask.computeIfAbsent(p.taskId(), k -> new ArrayList<>()).add(p);
            }
        }
        return byTask;
    }
}
