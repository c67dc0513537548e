package dev.ssebridge.schemas;

import com.fasterxml.jackson.annotation.JsonValue;

/** Life cycle of a training task or a backtest. */
public enum RunStatus {
    RUNNING, COMPLETED, FAILED;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
