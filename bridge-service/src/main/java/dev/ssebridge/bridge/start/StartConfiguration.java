package dev.ssebridge.bridge.start;

import dev.ssebridge.bridge.config.BridgeProperties;
import dev.ssebridge.bridge.hub.ChannelHubs;
import dev.ssebridge.bridge.kafka.FailedTails;
import dev.ssebridge.bridge.kafka.OffsetLookup;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Where streams and history queries start: a cursor, an instant or the earliest offsets, checked against the topics. */
@Configuration(proxyBeanMethods = false)
class StartConfiguration {

    @Bean
    StartResolver startResolver(ChannelHubs hubs, OffsetLookup offsets, FailedTails failedTails,
                                BridgeProperties properties) {
        return new StartResolver(hubs, offsets, failedTails, properties.replay().idleTimeout());
    }
}
