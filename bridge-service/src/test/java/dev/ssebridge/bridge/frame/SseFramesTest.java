package dev.ssebridge.bridge.frame;

import static org.assertj.core.api.Assertions.assertThat;

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
        for (List<String> channels : List.of(List.of("training"), List.of("training", "alerts", "dashboard"))) {
            for (Instant now : List.of(NOW, Instant.parse("2026-11-24T12:43:05Z"))) {
                Map<String, Object> data = new LinkedHashMap<>();
                data.put("client_id", "page-7:tab.2");
                if (channels.size() == 1) {
                    data.put("channel", channels.get(0));
                }
                data.put("channels", channels);

                assertThat(text(SseFrames.connectedEvent("page-7:tab.2", channels, iso(now))))
                        .isEqualTo(text(SseFrames.controlEvent("connected", data, now)));
            }
        }
    }

    @Test
    void theConnectedEventIsOneEventWithItsJsonOnOneLine() {
        assertThat(text(SseFrames.connectedEvent("c\"1", List.of("alerts"), iso(NOW)))).isEqualTo(
                "event: connected\ndata: {\"event\":\"connected\",\"data\":{\"client_id\":\"c\\\"1\",\"channel\":\"alerts\","
                        + "\"channels\":[\"alerts\"]},\"timestamp\":\"2026-11-24T12:43:05.123Z\"}\n\n");
    }

    private static byte[] iso(Instant now) {
        return new IsoTimestamps().format(now.toEpochMilli());
    }

    private static String text(byte[] frame) {
        return new String(frame, StandardCharsets.UTF_8);
    }
}
