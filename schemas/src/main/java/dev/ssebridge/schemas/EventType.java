package dev.ssebridge.schemas;

import java.util.Arrays;
import java.util.Optional;

/**
 * The event payloads of the public contract, each with its JSON Schema on the classpath.
 * The names are the SSE {@code event:} names and the Kafka {@code ce_type} header values.
 */
public enum EventType {
    TRAINING_PROGRESS("training_progress", TrainingProgress.class),
    BACKTEST_PROGRESS("backtest_progress", BacktestProgress.class),
    RISK_ALERT("risk_alert", RiskAlert.class),
    DASHBOARD_UPDATE("dashboard_update", DashboardUpdate.class);

    private final String eventName;
    private final Class<?> payloadType;

    EventType(String eventName, Class<?> payloadType) {
        this.eventName = eventName;
        this.payloadType = payloadType;
    }

    public String eventName() {
        return eventName;
    }

    public Class<?> payloadType() {
        return payloadType;
    }

    /** Classpath location of this payload's JSON Schema (2020-12). */
    public String schemaResource() {
        return "schemas/" + eventName + ".schema.json";
    }

    public static Optional<EventType> byEventName(String name) {
        return Arrays.stream(values()).filter(t -> t.eventName.equals(name)).findFirst();
    }
}
