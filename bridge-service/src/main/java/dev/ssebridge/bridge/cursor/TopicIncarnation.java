package dev.ssebridge.bridge.cursor;

/**
 * Which incarnation of a topic a position belongs to. A topic deleted and re-created with the same name gets a new
 * topic id from Kafka and starts its offsets again at 0: offset 500 of the old topic says nothing about the new one.
 * Cursors therefore carry, per channel, 32 bits of the topic id they were taken in (a digest, not the 16-byte id: a
 * cursor is sent with every event, and telling two incarnations of one topic apart needs no more; a collision, one in
 * four billion re-creations, serves the old offsets as before incarnations existed).
 */
public final class TopicIncarnation {

    /** The incarnation is not known: a version 1 cursor, a broker without topic ids, a tail not assigned yet. */
    public static final int UNKNOWN = 0;

    private TopicIncarnation() {
    }

    /** The incarnation of the topic with id ({@code mostSignificantBits}, {@code leastSignificantBits}). */
    public static int of(long mostSignificantBits, long leastSignificantBits) {
        if (mostSignificantBits == 0 && leastSignificantBits == 0) {
            return UNKNOWN; // Kafka's ZERO_UUID: the broker has no topic ids
        }
        long folded = mostSignificantBits ^ leastSignificantBits;
        int digest = (int) (folded ^ (folded >>> 32));
        return digest == UNKNOWN ? 1 : digest;
    }

    /** Whether offsets taken in {@code held} are not offsets of the topic in {@code current} (both known and apart). */
    public static boolean differs(int held, int current) {
        return held != UNKNOWN && current != UNKNOWN && held != current;
    }
}
