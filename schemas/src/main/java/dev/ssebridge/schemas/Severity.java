package dev.ssebridge.schemas;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;
import java.util.Optional;

/** Risk alert severity, ordered: {@code LOW < MEDIUM < HIGH < CRITICAL}. */
public enum Severity {
    LOW, MEDIUM, HIGH, CRITICAL;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    static Severity fromWire(String value) {
        return parse(value).orElseThrow(() -> new IllegalArgumentException("unknown severity: " + value));
    }

    /** The severity with this wire name (low, medium, high, critical), if any. */
    public static Optional<Severity> parse(String value) {
        for (Severity s : values()) {
            if (s.wireName().equals(value)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }
}
