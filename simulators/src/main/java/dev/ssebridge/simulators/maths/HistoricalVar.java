package dev.ssebridge.simulators.maths;

import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * Rolling historical Value at Risk over the last {@code window} returns: the loss not exceeded with the
 * given confidence, as a positive fraction (0.03 = a 3 % loss). Uses the empirical quantile with linear
 * interpolation between order statistics (the same definition as numpy's default percentile).
 */
public final class HistoricalVar {

    private final int window;
    private final double confidence;
    private final ArrayDeque<Double> returns = new ArrayDeque<>();

    public HistoricalVar(int window, double confidence) {
        if (window < 2) {
            throw new IllegalArgumentException("window must be at least 2");
        }
        if (!(confidence > 0 && confidence < 1)) {
            throw new IllegalArgumentException("confidence must be in (0, 1)");
        }
        this.window = window;
        this.confidence = confidence;
    }

    public void add(double r) {
        returns.addLast(r);
        if (returns.size() > window) {
            returns.removeFirst();
        }
    }

    /** Whether the window is full, i.e. the figure is based on {@code window} returns. */
    public boolean isReady() {
        return returns.size() == window;
    }

    /** VaR at the configured confidence: minus the (1 - confidence) quantile of returns, never below 0. */
    public double value() {
        if (returns.isEmpty()) {
            return 0;
        }
        double[] sorted = returns.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(sorted);
        return Math.max(0, -quantile(sorted, 1 - confidence));
    }

    /** Linear interpolation between closest ranks on a sorted sample. */
    static double quantile(double[] sorted, double q) {
        double position = q * (sorted.length - 1);
        int lower = (int) Math.floor(position);
        int upper = Math.min(lower + 1, sorted.length - 1);
        double weight = position - lower;
        return sorted[lower] + weight * (sorted[upper] - sorted[lower]);
    }
}
