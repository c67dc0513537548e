package dev.ssebridge.bridge.admission;

import dev.ssebridge.bridge.config.BridgeProperties;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Admission control: the limits every stream request is counted against. */
@Configuration(proxyBeanMethods = false)
class AdmissionConfiguration {

    @Bean
    AdmissionControl admissionControl(BridgeProperties properties, MeterRegistry meters) {
        AdmissionControl control = new AdmissionControl(properties.admission());
        Gauge.builder("ssebridge.admission.open", control, AdmissionControl::open)
                .description("Streams holding an admission permit").register(meters);
        return control;
    }
}
