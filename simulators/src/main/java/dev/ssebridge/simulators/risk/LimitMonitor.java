package dev.ssebridge.simulators.risk;

import dev.ssebridge.schemas.Severity;
import java.util.Optional;

/**
 * Watches one metric against its limit and decides when to alert: when the metric crosses the limit,
 * and again only if the breach becomes more severe. A metric that stays above its limit does not repeat
 * its alert; once it falls clearly back (below 90 % of the limit) the monitor re-arms.
 */
public final class LimitMonitor {

    private static final double REARM = 0.9;

    private final double limit;
    private Severity alerted; // null while within the limit

    public LimitMonitor(double limit) {
        if (!(limit > 0)) {
            throw new IllegalArgumentException("limit must be positive");
        }
        this.limit = limit;
    }

    public double limit() {
        return limit;
    }

    /** The severity to alert with for this value, if an alert is due. */
    public Optional<Severity> check(double value) {
        if (value > limit) {
            Severity severity = grade(value / limit);
            if (alerted == null || severity.compareTo(alerted) > 0) {
                alerted = severity;
                return Optional.of(severity);
            }
        } else if (value < limit * REARM) {
            alerted = null;
        }
        return Optional.empty();
    }

    /** By how far the limit is exceeded: up to 25 % low, 50 % medium, 100 % high, beyond that critical. */
    public static Severity grade(double ratio) {
        if (ratio < 1.25) {
            return Severity.LOW;
        }
        if (ratio < 1.5) {
            return Severity.MEDIUM;
        }
        if (ratio < 2.0) {
            return Severity.HIGH;
        }
        return Severity.CRITICAL;
    }
}
