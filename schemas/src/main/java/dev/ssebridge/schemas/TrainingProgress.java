package dev.ssebridge.schemas;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Payload of {@code training_progress}; see {@code schemas/training_progress.schema.json}.
 * {@code epoch}, {@code totalEpochs} and {@code error} are optional.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TrainingProgress(
        String taskId,
        double progress,
        RunStatus status,
        String message,
        Integer epoch,
        Integer totalEpochs,
        String error,
        Metrics metrics) {

    /** Loss (≥ 0) and accuracy (0..1) after the latest epoch. */
    public record Metrics(double loss, double accuracy) {
    }
}
