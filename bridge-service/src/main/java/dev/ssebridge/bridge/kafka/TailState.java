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
     * A record's schema could not be fetched (the schema registry does not answer): the tail waits at that
     * record and tries it again with a growing back-off, rather than skip a record that decodes later.
     */
    WAITING_FOR_SCHEMA_REGISTRY("waiting_for_schema_registry"),
    /**
     * Kafka refused the bridge (authentication or authorization): the tail stopped, and tries again at a bounded,
     * doubling interval ({@code bridge.kafka.refusal-retry}), so a fix of the credentials or ACLs on the broker's
     * side takes without a restart. Meanwhile streams and history queries of the channel are refused at once
     * ({@link FailedTails}). A tail stopped by anything else (a bug) stays failed until the bridge restarts.
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
