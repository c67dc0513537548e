package dev.ssebridge.bridge.connection;

/** Where a connection is in its life. */
enum ConnectionState {
    /** Replaying what it missed (from Kafka and the ring); live events wait in its outbox meanwhile. */
    REPLAYING,
    /** Every channel's replay reached the live position: what arrives now is live. */
    LIVE,
    /** The bridge ends the stream ({@link StreamEnd}): its last events and the {@code stream_end} are on their way. */
    ENDING
}
