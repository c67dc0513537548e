package dev.ssebridge.bridge.status;

import dev.ssebridge.bridge.admission.TcpConnections;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

/**
 * {@code connections} in {@code /actuator/health}: UP, or {@code DEGRADED} (answered 200, ranked between DOWN and UP:
 * see application.yml) while only the reserve of TCP connections for status and health is left, or for a minute
 * after connections were refused at the instance's limit; with the reason and the counts. Degraded, not down: the
 * instance still serves every stream it holds, and a load balancer that took it out would move its load, not shed it.
 */
final class TcpConnectionsHealthIndicator implements HealthIndicator {

    /** Serving, but at the edge of what it can take. */
    static final Status DEGRADED = new Status("DEGRADED", "at its connection limit");

    private final TcpConnections tcp;

    TcpConnectionsHealthIndicator(TcpConnections tcp) {
        this.tcp = tcp;
    }

    @Override
    public Health health() {
        String reason = tcp.degradedReason();
        Health.Builder builder = reason == null ? Health.up() : Health.status(DEGRADED).withDetail("reason", reason);
        return builder.withDetail("tcp_open", tcp.open())
                .withDetail("awaiting_request", tcp.awaitingRequest())
                .withDetail("limit", tcp.limit())
                .withDetail("reserve", tcp.reserve())
                .withDetail("refused_at_limit", tcp.refusedCount(TcpConnections.Refusal.TOTAL))
                .withDetail("refused_per_address", tcp.refusedCount(TcpConnections.Refusal.ADDRESS))
                .build();
    }
}
