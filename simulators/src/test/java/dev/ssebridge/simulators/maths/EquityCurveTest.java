package dev.ssebridge.simulators.maths;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class EquityCurveTest {

    @Test
    void totalReturnCompoundsDailyReturns() {
        EquityCurve curve = new EquityCurve(100);
        curve.add(0.10);
        curve.add(-0.10);

        // 100 * 1.1 * 0.9 = 99
        assertThat(curve.equity()).isCloseTo(99.0, within(1e-12));
        assertThat(curve.totalReturn()).isCloseTo(-0.01, within(1e-12));
    }

    @Test
    void sharpeRatioIsAnnualisedMeanOverSampleStandardDeviation() {
        EquityCurve curve = new EquityCurve(1);
        for (double r : new double[] {0.01, -0.02, 0.03, 0.00}) {
            curve.add(r);
        }
        // mean = 0.005; deviations 0.005, -0.025, 0.025, -0.005; sum of squares = 0.0013;
        // sample variance = 0.0013 / 3 = 0.000433333; sd = 0.02081666;
        // Sharpe = 0.005 / 0.02081666 * sqrt(252) = 0.2401922 * 15.8745079 = 3.8129335
        assertThat(curve.sharpeRatio()).isCloseTo(3.8129335, within(1e-6));
    }

    @Test
    void sharpeIsZeroWithoutVariation() {
        EquityCurve curve = new EquityCurve(1);
        curve.add(0.01);
        assertThat(curve.sharpeRatio()).isZero();
        curve.add(0.01);
        assertThat(curve.sharpeRatio()).isZero();
    }

    @Test
    void maxDrawdownIsTheWorstFallFromARunningPeak() {
        EquityCurve curve = new EquityCurve(100);
        // 100 -> 120 (peak) -> 90 (-25 %) -> 130 (new peak) -> 117 (-10 %)
        curve.add(0.20);
        curve.add(-0.25);
        curve.add(130.0 / 90 - 1);
        curve.add(-0.10);

        assertThat(curve.maxDrawdown()).isCloseTo(-0.25, within(1e-12));
        assertThat(curve.drawdown()).isCloseTo(-0.10, within(1e-12));
    }

    @Test
    void drawdownIsZeroWhileEquityOnlyRises() {
        EquityCurve curve = new EquityCurve(100);
        curve.add(0.01);
        curve.add(0.02);
        assertThat(curve.maxDrawdown()).isZero();
    }
}
