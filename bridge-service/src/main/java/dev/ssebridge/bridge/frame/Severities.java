package dev.ssebridge.bridge.frame;

import dev.ssebridge.schemas.Severity;

/** Severity ranks for filtering: low 0 < medium 1 < high 2 < critical 3; anything else -1. */
public final class Severities {

    private Severities() {
    }

    public static int rank(String value) {
        return Severity.parse(value).map(Enum::ordinal).orElse(-1);
    }
}
