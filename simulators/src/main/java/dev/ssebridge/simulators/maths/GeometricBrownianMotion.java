package dev.ssebridge.simulators.maths;

import java.util.SplittableRandom;

/**
 * Daily simple returns of a price following geometric Brownian motion with annual drift {@code mu} and
 * annual volatility {@code sigma}: {@code exp((mu - sigma^2/2) dt + sigma sqrt(dt) Z) - 1}, dt = 1/252.
 */
public final class GeometricBrownianMotion {

    private final double drift;
    private final double diffusion;
    private final SplittableRandom random;

    public GeometricBrownianMotion(double mu, double sigma, SplittableRandom random) {
        double dt = 1.0 / EquityCurve.TRADING_DAYS;
        this.drift = (mu - sigma * sigma / 2) * dt;
        this.diffusion = sigma * Math.sqrt(dt);
        this.random = random;
    }

    public double nextReturn() {
        return Math.exp(drift + diffusion * Gaussian.next(random)) - 1;
    }
}
