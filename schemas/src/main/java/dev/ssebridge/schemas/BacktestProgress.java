package dev.ssebridge.schemas;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.LocalDate;

/** Payload of {@code backtest_progress}; see {@code schemas/backtest_progress.schema.json}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BacktestProgress(
        String backtestId,
        String strategy,
        double progress,
        RunStatus status,
        String message,
        LocalDate currentDate,
        Results results) {

    /** Running results from the equity curve so far; {@code maxDrawdown} is 0 or negative. */
    public record Results(double totalReturn, double sharpeRatio, double maxDrawdown) {
    }
}
