package dev.ssebridge.simulators;

import java.util.SplittableRandom;

/** Entity ids drawn from the simulation's own random generator, so seeded runs repeat them. */
public final class Ids {

    private Ids() {
    }

    /** {@code prefix-} followed by 8 hex digits. */
    public static String next(String prefix, SplittableRandom random) {
        return prefix + "-" + String.format("%08x", random.nextInt() & 0xFFFFFFFFL);
    }
}
