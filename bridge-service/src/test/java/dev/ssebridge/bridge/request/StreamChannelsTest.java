package dev.ssebridge.bridge.request;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ssebridge.bridge.channel.Channel;
import dev.ssebridge.bridge.channel.Channels;
import dev.ssebridge.bridge.support.ChannelBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

class StreamChannelsTest {

    private static final Channels CHANNELS = new Channels(List.of(channel("training"), channel("backtest"),
            channel("alerts"), channel("dashboard")), List.of());
    private final StreamChannels parser = new StreamChannels(CHANNELS, 3);

    @Test
    void commaSeparatedOrRepeatedInRequestOrder() {
        assertThat(parser.parse(List.of("alerts, training", "dashboard")))
                .extracting(Channel::name).containsExactly("alerts", "training", "dashboard");
    }

    @Test
    void unknownRepeatedMissingOrTooManyAreRefusedByName() {
        assertThatThrownBy(() -> parser.parse(List.of("training,portfolio,risk")))
                .hasMessageContaining("unknown channels: portfolio, risk");
        assertThatThrownBy(() -> parser.parse(List.of("training,alerts,training")))
                .hasMessageContaining("more than once: training");
        assertThatThrownBy(() -> parser.parse(null)).hasMessageContaining("at least one");
        assertThatThrownBy(() -> parser.parse(List.of(" , "))).hasMessageContaining("at least one");
        assertThatThrownBy(() -> parser.parse(List.of("training,backtest,alerts,dashboard")))
                .hasMessageContaining("at most 3");
    }

    private static Channel channel(String name) {
        return ChannelBuilder.channel(name).build();
    }
}
