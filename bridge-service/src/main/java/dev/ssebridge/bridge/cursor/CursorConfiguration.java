package dev.ssebridge.bridge.cursor;

import dev.ssebridge.bridge.channel.Channels;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The event id codec, shared by the hubs (which encode) and the stream and history requests (which decode). */
@Configuration(proxyBeanMethods = false)
class CursorConfiguration {

    @Bean
    CursorCodec cursorCodec(Channels channels) {
        return new CursorCodec(channels);
    }
}
