package dev.ssebridge.bridge.trace;

import io.micrometer.tracing.Tracer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class TraceConfiguration {

    /** Boot's OpenTelemetry tracer; without one (management.tracing.enabled=false), records' contexts pass unchanged. */
    @Bean
    FanoutTracing fanoutTracing(ObjectProvider<Tracer> tracer) {
        return new FanoutTracing(tracer.getIfAvailable(() -> Tracer.NOOP));
    }
}
