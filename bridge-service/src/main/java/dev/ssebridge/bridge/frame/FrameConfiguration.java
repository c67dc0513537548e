package dev.ssebridge.bridge.frame;

import dev.ssebridge.bridge.channel.Channels;
import dev.ssebridge.bridge.config.BridgeProperties;
import dev.ssebridge.bridge.schema.SchemaDecoders;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** One record decoder per channel, shared by the tails and the replays, and the schema decoders they use. */
@Configuration(proxyBeanMethods = false)
class FrameConfiguration {

    /** The schema registry client and decoders, shared by every channel of a format. */
    @Bean
    SchemaDecoders schemaDecoders(BridgeProperties properties) {
        return new SchemaDecoders(properties.schemaRegistry());
    }

    @Bean
    RecordDecoders recordDecoders(Channels channels, BridgeProperties properties, SchemaDecoders schemas) {
        return new RecordDecoders(channels, properties, schemas);
    }
}
