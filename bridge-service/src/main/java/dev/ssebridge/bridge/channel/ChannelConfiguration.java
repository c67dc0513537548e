package dev.ssebridge.bridge.channel;

import dev.ssebridge.bridge.config.BridgeProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The configured channels: adding one is a configuration change. */
@Configuration(proxyBeanMethods = false)
class ChannelConfiguration {

    @Bean
    Channels channels(BridgeProperties properties) {
        return new Channels(properties.channels().entrySet().stream()
                .map(e -> new Channel(e.getKey(), e.getValue().topic(), e.getValue().eventName(),
                        ChannelTag.of(e.getKey()), e.getValue().keyParameter(), e.getValue().severityField(),
                        e.getValue().stateField()))
                .toList());
    }
}
