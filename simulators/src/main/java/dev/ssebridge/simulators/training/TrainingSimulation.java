package dev.ssebridge.simulators.training;

import dev.ssebridge.schemas.EventType;
import dev.ssebridge.schemas.RunStatus;
import dev.ssebridge.schemas.TrainingProgress;
import dev.ssebridge.simulators.Emission;
import dev.ssebridge.simulators.Ids;
import dev.ssebridge.simulators.Simulation;
import dev.ssebridge.simulators.maths.Gaussian;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Several model trainings at once. Each tick every running task finishes one epoch: loss falls roughly
 * exponentially towards a floor, with multiplicative noise; accuracy rises and saturates; progress never
 * goes back. A task ends completed, or, with a small probability spread over its epochs, failed with a
 * reason. A finished task is replaced by a new one on the next tick.
 */
public final class TrainingSimulation implements Simulation {

    private static final String[] FAILURES = {
        "CUDA out of memory", "NaN loss detected", "data loader timed out", "checkpoint write failed"};

    private final SplittableRandom random;
    private final int concurrent;
    private final int epochs;
    private final double failureProbability;
    private final List<Task> tasks = new ArrayList<>();

    /**
     * @param concurrent         tasks running at once
     * @param epochs             epochs per task
     * @param failureProbability chance that a task fails at some point instead of completing
     */
    public TrainingSimulation(SplittableRandom random, int concurrent, int epochs, double failureProbability) {
        this.random = random;
        this.concurrent = concurrent;
        this.epochs = epochs;
        this.failureProbability = failureProbability;
    }

    @Override
    public EventType type() {
        return EventType.TRAINING_PROGRESS;
    }

    @Override
    public List<Emission> tick() {
        boolean first = tasks.isEmpty();
        tasks.removeIf(Task::finished);
        while (tasks.size() < concurrent) {
            Task task = new Task();
            if (first) {
                // The first tasks are already under way, at different stages, like a busy cluster.
                task.epoch = random.nextInt(epochs / 2);
            }
            tasks.add(task);
        }
        List<Emission> out = new ArrayList<>();
        for (Task task : tasks) {
            out.add(new Emission(task.id, task.step()));
        }
        return out;
    }

    /** One training run; its shape (start loss, speed, ceiling) is drawn once. */
    private final class Task {
        final String id = Ids.next("task", random);
        final double initialLoss = 1.5 + random.nextDouble();
        final double floorLoss = 0.02 + 0.08 * random.nextDouble();
        final double lossDecay = 3.0 / epochs * (0.7 + 0.6 * random.nextDouble());
        final double initialAccuracy = 0.10 + 0.15 * random.nextDouble();
        final double maxAccuracy = 0.88 + 0.10 * random.nextDouble();
        final double accuracyRate = 4.0 / epochs * (0.7 + 0.6 * random.nextDouble());
        int epoch;
        RunStatus status = RunStatus.RUNNING;

        TrainingProgress step() {
            epoch++;
            double loss = Math.max(0, floorLoss + (initialLoss - floorLoss) * Math.exp(-lossDecay * epoch)
                    * (1 + 0.05 * Gaussian.next(random)));
            double accuracy = maxAccuracy - (maxAccuracy - initialAccuracy) * Math.exp(-accuracyRate * epoch)
                    + 0.005 * Gaussian.next(random);
            accuracy = Math.min(1, Math.max(0, accuracy));
            double progress = Math.round(1000.0 * epoch / epochs) / 10.0;
            var metrics = new TrainingProgress.Metrics(round(loss), round(accuracy));
            if (random.nextDouble() < failureProbability / epochs) {
                status = RunStatus.FAILED;
                String reason = FAILURES[random.nextInt(FAILURES.length)];
                return new TrainingProgress(id, progress, status,
                        "Training failed at epoch " + epoch + "/" + epochs + ": " + reason,
                        epoch, epochs, reason, metrics);
            }
            if (epoch == epochs) {
                status = RunStatus.COMPLETED;
                return new TrainingProgress(id, 100.0, status, "Training completed: " + epochs + " epochs",
                        epoch, epochs, null, metrics);
            }
            return new TrainingProgress(id, progress, status, "Training epoch " + epoch + "/" + epochs,
                    epoch, epochs, null, metrics);
        }

        boolean finished() {
            return status != RunStatus.RUNNING;
        }
    }

    private static double round(double value) {
        return Math.round(value * 10_000) / 10_000.0;
    }
}
