package dev.ssebridge.bridge.policy;

import dev.ssebridge.bridge.channel.Channels;
import dev.ssebridge.bridge.config.BridgeProperties;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Record policies per channel, compiled at start, and their metrics. */
@Configuration(proxyBeanMethods = false)
class PolicyConfiguration {

    private static final Logger log = LoggerFactory.getLogger(PolicyConfiguration.class);

    @Bean
    RecordPolicies recordPolicies(Channels channels, BridgeProperties properties, MeterRegistry meters) {
        RecordPolicies policies = new RecordPolicies(channels, channel -> properties.channels().get(channel).policy(),
                family -> properties.families().get(family).policy(),
                family -> properties.families().get(family).access());
        for (RecordPolicy policy : policies.all()) {
            String channel = policy.name(); // a family's: its members count under its name
            log.info("Channel '{}' delivers a record only where its policy holds: {} (claims read: {})", channel,
                    policy.source(), policy.claimsRead() == null ? "all" : policy.claimsRead());
            if (!properties.security().enabled()) {
                log.warn("Channel '{}' has a policy but bridge.security.enabled is false: every caller's claims are "
                        + "empty", channel);
            }
            FunctionCounter.builder("ssebridge.policy.evaluations", policy, RecordPolicy::evaluations)
                    .description("Evaluations of the channel's record policy (once per record per claim set)")
                    .tag("channel", channel).register(meters);
            FunctionCounter.builder("ssebridge.policy.denied", policy, RecordPolicy::denied)
                    .description("Evaluations that kept a record from a claim set, failures included")
                    .tag("channel", channel).register(meters);
            for (RecordPolicy.Failure failure : RecordPolicy.Failure.values()) {
                FunctionCounter.builder("ssebridge.policy.failures", policy, p -> p.failures(failure))
                        .description("Evaluations that failed (the record was not delivered)")
                        .tags("channel", channel, "reason", failure.label()).register(meters);
            }
            Gauge.builder("ssebridge.policy.scopes", policy, RecordPolicy::scopes)
                    .description("Distinct sets of the claims the policy reads among open streams")
                    .tag("channel", channel).register(meters);
        }
        return policies;
    }
}
