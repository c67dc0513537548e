package dev.ssebridge.bridge.admission;

import dev.ssebridge.bridge.config.BridgeProperties;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.unit.DataSize;

/**
 * Admission control: the limits every stream request is counted against, and below HTTP the guard that counts
 * every TCP connection at accept and gives its request's headers a deadline.
 */
@Configuration(proxyBeanMethods = false)
class AdmissionConfiguration {

    @Bean
    AdmissionControl admissionControl(BridgeProperties properties, MeterRegistry meters) {
        AdmissionControl control = new AdmissionControl(properties.admission());
        Gauge.builder("ssebridge.admission.open", control, AdmissionControl::open)
                .description("Streams holding an admission permit").register(meters);
        return control;
    }

    @Bean
    TcpConnections tcpConnections(BridgeProperties properties, MeterRegistry meters) {
        TcpConnections connections = new TcpConnections(properties.admission(),
                TcpConnections.limitFor(properties.admission()), System::nanoTime);
        Gauge.builder("ssebridge.tcp.connections", connections, TcpConnections::open)
                .description("TCP connections open, whatever they carry").register(meters);
        Gauge.builder("ssebridge.tcp.connections.awaiting.request", connections, TcpConnections::awaitingRequest)
                .description("TCP connections whose request line and headers have not arrived yet").register(meters);
        Gauge.builder("ssebridge.tcp.connections.limit", connections, TcpConnections::limit)
                .description("The most TCP connections this instance holds").register(meters);
        for (TcpConnections.Refusal reason : TcpConnections.Refusal.values()) {
            FunctionCounter.builder("ssebridge.tcp.connections.refused", connections, c -> c.refusedCount(reason))
                    .description("Connections refused at accept (address, total), closed for not sending their "
                            + "request's headers in time (header_timeout), or answered with an error before HTTP "
                            + "handling (reserve, request_line_too_long, headers_too_large, malformed_request)")
                    .tag("reason", reason.label()).register(meters);
        }
        return connections;
    }

    /**
     * @param maxInitialLineLength as Spring Boot configures Reactor Netty's codec (its default, 4 KB, when unset)
     * @param maxHeaderSize        likewise (8 KB)
     */
    @Bean
    AcceptGuard acceptGuard(TcpConnections connections,
                            @Value("${server.netty.max-initial-line-length:4KB}") DataSize maxInitialLineLength,
                            @Value("${server.max-http-request-header-size:8KB}") DataSize maxHeaderSize,
                            @Value("${management.endpoints.web.base-path:/actuator}") String actuatorBasePath) {
        return new AcceptGuard(connections, new RequestLimits(maxInitialLineLength.toBytes(), maxHeaderSize.toBytes(),
                actuatorBasePath));
    }
}
