package dev.ssebridge.bridge.frame;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ssebridge.bridge.channel.Channel;
import dev.ssebridge.bridge.support.ChannelBuilder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SseFramesTest {

    private static final Instant NOW = Instant.parse("2026-11-24T12:43:05.123456Z");

    @Test
    void theConnectedEventIsTheControlEventOfItsData() {
        Channel training = channel("training", "training_progress");
        List<Channel> all = List.of(training, channel("alerts", "risk_alert"), channel("dashboard", "dashboard_update"));
        for (List<Channel> channels : List.of(List.of(training), all)) {
            for (Instant now : List.of(NOW, Instant.parse("2026-11-24T12:43:05Z"))) {
                Map<String, Object> data = new LinkedHashMap<>();
                data.put("client_id", "page-7:tab.2");
                if (channels.size() == 1) {
                    data.put("channel", channels.get(0).name());
                }
                data.put("channels", channels.stream().map(Channel::name).toList());
                Map<String, String> events = new LinkedHashMap<>();
                channels.forEach(channel -> events.put(channel.name(), channel.eventName()));
                data.put("events", events);

                assertThat(text(SseFrames.connectedEvent("page-7:tab.2", channels, iso(now))))
                        .isEqualTo(text(SseFrames.controlEvent("connected", data, now)));
            }
        }
    }

    @Test
    void theConnectedEventIsOneEventWithItsJsonOnOneLine() {
        assertThat(text(SseFrames.connectedEvent("c\"1", List.of(channel("alerts", "risk_alert")), iso(NOW)))).isEqualTo(
                "event: connected\ndata: {\"event\":\"connected\",\"data\":{\"client_id\":\"c\\\"1\",\"channel\":\"alerts\","
                        + "\"channels\":[\"alerts\"],\"events\":{\"alerts\":\"risk_alert\"}},"
                        + "\"timestamp\":\"2026-11-24T12:43:05.123Z\"}\n\n");
    }

    private static Channel channel(String name, String eventName) {
        return ChannelBuilder.channel(name).topic(name).eventName(eventName).build();
    }

    private static byte[] iso(Instant now) {
        return new IsoTimestamps().format(now.toEpochMilli());
    }

    private static String text(byte[] frame) {
        return new String(frame, StandardCharsets.UTF_8);
    }
}
