package dev.ssebridge.bridge.conflation;

/**
 * How one channel of a stream may be conflated.
 *
 * @param rate        at most this many events per second per piece of state; null: only while the client falls behind
 * @param maxHeldKeys pieces of state the connection may hold back at once before it is cut off
 */
public record ConflationPolicy(MaxRate rate, int maxHeldKeys) {
}
