package dev.ssebridge.simulators.maths;

import java.util.SplittableRandom;

/** Standard normal draws from a seeded generator (Box-Muller), so runs are reproducible. */
public final class Gaussian {

    private Gaussian() {
    }

    public static double next(SplittableRandom random) {
        double u1 = 1.0 - random.nextDouble(); // (0, 1]: log is finite
        double u2 = random.nextDouble();
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }
}
