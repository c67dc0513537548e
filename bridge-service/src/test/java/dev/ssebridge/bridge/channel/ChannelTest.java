package dev.ssebridge.bridge.channel;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ChannelTest {

    private static final Channel ALERTS = new Channel("alerts", "risk.alerts", "alert", 3, "portfolio_id", "severity", null);

    @Test
    void channelsWithTheSameFieldsAreEqualWhateverTheInstance() {
        Channel copy = new Channel("alerts", "risk.alerts", "alert", 3, "portfolio_id", "severity", null);
        assertThat(copy).isEqualTo(ALERTS).hasSameHashCodeAs(ALERTS);
        assertThat(new Channel("t", "t", "e", 1, null, null, null)).isEqualTo(new Channel("t", "t", "e", 1, null, null, null));
    }

    @Test
    void anyDifferentFieldMakesAnotherChannel() {
        List<Channel> others = List.of(
                new Channel("alerts2", "risk.alerts", "alert", 3, "portfolio_id", "severity", null),
                new Channel("alerts", "risk.alerts2", "alert", 3, "portfolio_id", "severity", null),
                new Channel("alerts", "risk.alerts", "alert2", 3, "portfolio_id", "severity", null),
                new Channel("alerts", "risk.alerts", "alert", 4, "portfolio_id", "severity", null),
                new Channel("alerts", "risk.alerts", "alert", 3, null, "severity", null),
                new Channel("alerts", "risk.alerts", "alert", 3, "portfolio_id", null, null),
                new Channel("alerts", "risk.alerts", "alert", 3, "portfolio_id", "severity", null, "risk"));
        for (Channel other : others) {
            assertThat(other).isNotEqualTo(ALERTS);
            assertThat(ALERTS).isNotEqualTo(other);
        }
        assertThat(ALERTS).isNotEqualTo(null).isNotEqualTo("alerts");
    }

    @Test
    void aKeysStateIsItselfOrItsPiecesWhenTheChannelHasAStateField() {
        Channel plain = new Channel("training", "t", "training_progress", 1, null, null, null);
        Channel pieces = new Channel("dashboard", "d", "dashboard_update", 2, null, null, "update_type");
        assertThat(plain.isStateOf("K", "K")).isTrue();
        assertThat(plain.isStateOf("K\u0000x", "K")).isFalse();
        assertThat(pieces.isStateOf(pieces.stateKey("K", "positions"), "K")).isTrue();
        assertThat(pieces.isStateOf(pieces.stateKey("KL", "positions"), "K")).isFalse();
        assertThat(pieces.isStateOf(pieces.stateKey("L", "positions"), "K")).isFalse();
    }
}
