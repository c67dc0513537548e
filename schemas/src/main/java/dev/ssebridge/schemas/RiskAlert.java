package dev.ssebridge.schemas;

/** Payload of {@code risk_alert}; see {@code schemas/risk_alert.schema.json}. */
public record RiskAlert(
        String alertType,
        Severity severity,
        String message,
        String metricName,
        double metricValue,
        double threshold,
        String entityType,
        String entityId) {
}
