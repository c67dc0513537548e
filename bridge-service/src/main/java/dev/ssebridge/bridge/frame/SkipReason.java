package dev.ssebridge.bridge.frame;

/** Why a Kafka record was not delivered. Each reason is counted per channel. */
public enum SkipReason {
    /** The value is not one well-formed JSON document. */
    INVALID_JSON("invalid_json"),
    /** The value is not valid UTF-8, so it cannot be JSON text. */
    INVALID_UTF8("invalid_utf8"),
    /** The value is larger than {@code bridge.kafka.max-record-size}. */
    OVERSIZE("oversize");

    private final String label;

    SkipReason(String label) {
        this.label = label;
    }

    /** Name used in status and metrics. */
    public String label() {
        return label;
    }
}
