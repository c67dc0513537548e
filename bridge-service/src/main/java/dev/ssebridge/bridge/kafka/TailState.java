package dev.ssebridge.bridge.kafka;

/** What a channel's tail is doing. */
public enum TailState {
    /** Asking Kafka for the topic's partitions (at start, and while Kafka does not answer). */
    STARTING("starting"),
    /** The topic does not exist; checked again at every retry interval. */
    WAITING_FOR_TOPIC("waiting_for_topic"),
    /** Reading its partitions: every record is published to the channel's hub. */
    READING("reading"),
    /**
     * Kafka refused the bridge for good (authentication or authorization): retrying would not help until an
     * operator fixes the credentials or the ACLs, and restarts the bridge.
     */
    FAILED("failed");

    private final String label;

    TailState(String label) {
        this.label = label;
    }

    /** The name used in status and health. */
    public String label() {
        return label;
    }
}
