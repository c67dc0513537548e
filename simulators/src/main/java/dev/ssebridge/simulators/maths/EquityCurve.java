package dev.ssebridge.simulators.maths;

/**
 * Running statistics of an equity curve built from simple daily returns: total return, annualised Sharpe
 * ratio and maximum drawdown, updated in O(1) per day (Welford's algorithm for mean and variance).
 */
public final class EquityCurve {

    /** Trading days per year, for annualising. */
    public static final int TRADING_DAYS = 252;

    private final double initial;
    private double equity;
    private double peak;
    private double maxDrawdown;
    private long days;
    private double mean;
    private double m2;

    public EquityCurve(double initialEquity) {
        if (!(initialEquity > 0)) {
            throw new IllegalArgumentException("initial equity must be positive");
        }
        this.initial = initialEquity;
        this.equity = initialEquity;
        this.peak = initialEquity;
    }

    /** Applies one day's simple return {@code r} (0.01 = +1 %). */
    public void add(double r) {
        if (!(r > -1)) {
            throw new IllegalArgumentException("a daily return must be above -100 %: " + r);
        }
        equity *= 1 + r;
        peak = Math.max(peak, equity);
        maxDrawdown = Math.min(maxDrawdown, equity / peak - 1);
        days++;
        double delta = r - mean;
        mean += delta / days;
        m2 += delta * (r - mean);
    }

    public double equity() {
        return equity;
    }

    /** Equity / initial equity - 1. */
    public double totalReturn() {
        return equity / initial - 1;
    }

    /**
     * Mean daily return over its sample standard deviation, times sqrt(252); risk-free rate 0.
     * 0 until two returns exist or when the returns do not vary.
     */
    public double sharpeRatio() {
        if (days < 2) {
            return 0;
        }
        double sd = Math.sqrt(m2 / (days - 1));
        return sd == 0 ? 0 : mean / sd * Math.sqrt(TRADING_DAYS);
    }

    /** Worst fall from a running peak, as a fraction: 0 or negative (-0.1 = 10 % below the peak). */
    public double maxDrawdown() {
        return maxDrawdown;
    }

    /** Current fall from the running peak: 0 or negative. */
    public double drawdown() {
        return equity / peak - 1;
    }

    public long days() {
        return days;
    }
}
