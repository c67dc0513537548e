package dev.ssebridge.bridge.channel;

import dev.ssebridge.bridge.config.BridgeProperties;
import java.util.regex.Pattern;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The configured channels and families of topics: adding one is a configuration change. */
@Configuration(proxyBeanMethods = false)
class ChannelConfiguration {

    @Bean
    Channels channels(BridgeProperties properties) {
        return new Channels(properties.channels().entrySet().stream()
                .map(e -> new Channel(e.getKey(), e.getValue().topic(), e.getValue().eventName(),
                        ChannelTag.of(e.getKey()), e.getValue().keyParameter(), e.getValue().severityField(),
                        e.getValue().stateField()))
                .toList(),
                properties.families().entrySet().stream().map(e -> family(e.getKey(), e.getValue())).toList());
    }

    private static ChannelFamily family(String name, BridgeProperties.FamilyProperties settings) {
        String[] around = settings.topic().split(Pattern.quote("{" + settings.parameter() + "}"), -1);
        return new ChannelFamily(name, around[0], around[1], settings.parameter(), Pattern.compile(settings.allow()),
                settings.eventName(), settings.keyParameter(), ChannelTag.of(name));
    }
}
