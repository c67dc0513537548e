package dev.ssebridge.bridge.frame;

import dev.ssebridge.bridge.channel.Channels;
import dev.ssebridge.bridge.config.BridgeProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** One record decoder per channel, shared by the tails and the replays, and the schema decoders they use. */
@Configuration(proxyBeanMethods = false)
class FrameConfiguration {

    /** The record decoders, and per cluster the schema registry client and decoders its channels share. */
    @Bean
    RecordDecoders recordDecoders(Channels channels, BridgeProperties properties) {
        return new RecordDecoders(channels, properties);
    }
}
