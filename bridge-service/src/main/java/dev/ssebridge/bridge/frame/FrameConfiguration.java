package dev.ssebridge.bridge.frame;

import dev.ssebridge.bridge.channel.Channels;
import dev.ssebridge.bridge.config.BridgeProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** One record decoder per channel, shared by the tails and the replays. */
@Configuration(proxyBeanMethods = false)
class FrameConfiguration {

    @Bean
    RecordDecoders recordDecoders(Channels channels, BridgeProperties properties) {
        return new RecordDecoders(channels, properties.kafka().maxRecordSize().toBytes());
    }
}
