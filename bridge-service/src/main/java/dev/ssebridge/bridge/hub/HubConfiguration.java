package dev.ssebridge.bridge.hub;

import dev.ssebridge.bridge.channel.Channels;
import dev.ssebridge.bridge.config.BridgeProperties;
import dev.ssebridge.bridge.cursor.CursorCodec;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The hub of every channel: its position, its ring, its state, its fan-out to the event loops. */
@Configuration(proxyBeanMethods = false)
class HubConfiguration {

    @Bean
    ChannelHubs channelHubs(Channels channels, CursorCodec codec, BridgeProperties properties) {
        return new ChannelHubs(channels, codec, properties);
    }
}
