package dev.ssebridge.simulators.maths;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class HistoricalVarTest {

    @Test
    void varIsMinusTheFifthPercentileWithLinearInterpolation() {
        HistoricalVar var = new HistoricalVar(20, 0.95);
        // Returns -0.10, -0.09, ..., 0.09 (20 values, sorted already).
        for (int i = 0; i < 20; i++) {
            var.add(-0.10 + i * 0.01);
        }
        // position = 0.05 * 19 = 0.95 -> -0.10 + 0.95 * 0.01 = -0.0905 -> VaR 0.0905
        assertThat(var.isReady()).isTrue();
        assertThat(var.value()).isCloseTo(0.0905, within(1e-12));
    }

    @Test
    void theWindowRolls() {
        HistoricalVar var = new HistoricalVar(3, 0.95);
        var.add(-0.50);
        var.add(0.01);
        var.add(0.02);
        var.add(0.03); // -0.50 leaves the window
        // sorted 0.01, 0.02, 0.03: position 0.1 -> 0.011; VaR = max(0, -0.011) = 0
        assertThat(var.value()).isZero();
    }

    @Test
    void orderOfArrivalDoesNotMatter() {
        HistoricalVar a = new HistoricalVar(5, 0.95);
        HistoricalVar b = new HistoricalVar(5, 0.95);
        double[] returns = {0.02, -0.04, 0.01, -0.01, -0.03};
        for (int i = 0; i < returns.length; i++) {
            a.add(returns[i]);
            b.add(returns[returns.length - 1 - i]);
        }
        // sorted -0.04, -0.03, -0.01, 0.01, 0.02; position 0.2 -> -0.04 + 0.2 * 0.01 = -0.038
        assertThat(a.value()).isCloseTo(0.038, within(1e-12)).isEqualTo(b.value());
    }
}
