package dev.ssebridge.bridge.cursor;

/**
 * Markers that stand for an offset not known yet in a start position vector (one entry per partition), beside
 * real offsets, which are never negative. Shared by whoever plans a start ({@code start}, {@code hub}) and whoever
 * reads one ({@code kafka}'s replay reader).
 */
public final class Positions {

    /** From the first offset Kafka still holds (a partition the client's cursor did not know). */
    public static final long EARLIEST = -1;

    /** From the tail's position at registration, i.e. live only. */
    public static final long LATEST = -2;

    private Positions() {
    }
}
