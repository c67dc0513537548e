package dev.ssebridge.bridge.request;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ssebridge.bridge.channel.Channel;
import dev.ssebridge.bridge.channel.Channels;
import dev.ssebridge.bridge.cursor.CursorCodec;
import dev.ssebridge.bridge.cursor.MalformedCursorException;
import dev.ssebridge.bridge.cursor.TopicIncarnation;
import dev.ssebridge.bridge.start.StartRequest;
import dev.ssebridge.bridge.support.ChannelBuilder;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class StartRequestsTest {

    private static final Channel TRAINING = ChannelBuilder.channel("training").topic("t").eventName("x").build();
    private static final Instant NOW = Instant.parse("2026-01-02T10:00:00Z");
    private final CursorCodec codec = new CursorCodec(new Channels(List.of(TRAINING), List.of()));
    private final StartRequests requests = new StartRequests(codec, Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void noneMeansLive() {
        assertThat(requests.parse(null, "", " ", null).isLive()).isTrue();
        assertThat(requests.parse(null, null, null, "latest").isLive()).isTrue();
    }

    @Test
    void aCursorWinsOverSinceAndFromAndTheHeaderOverTheParameter() {
        String header = codec.encode(TRAINING, TopicIncarnation.UNKNOWN, new long[] {5});
        String param = codec.encode(TRAINING, TopicIncarnation.UNKNOWN, new long[] {1});

        StartRequest start = requests.parse(header, param, "PT1M", "earliest");

        assertThat(start.cursor().positions(TRAINING)).containsExactly(5);
        assertThat(start.since()).isNull();
        assertThat(requests.parse(null, param, null, null).cursor().positions(TRAINING)).containsExactly(1);
    }

    @Test
    void sinceTakesInstantsAndDurationsAndWinsOverFrom() {
        assertThat(requests.parse(null, null, "2025-10-24T15:30:00Z", "earliest").since())
                .isEqualTo(Instant.parse("2025-10-24T15:30:00Z"));
        assertThat(requests.parse(null, null, "PT15M", null).since()).isEqualTo(NOW.minusSeconds(900));
        assertThat(requests.parse(null, null, "P1D", null).since()).isEqualTo(NOW.minusSeconds(86_400));
    }

    @Test
    void fromEarliest() {
        assertThat(requests.parse(null, null, null, "earliest").earliest()).isTrue();
    }

    @Test
    void badValuesNameTheParameter() {
        assertThatThrownBy(() -> requests.parse(null, null, "yesterday", null))
                .isInstanceOfSatisfying(InvalidParameterException.class, e -> assertThat(e.parameter()).isEqualTo("since"));
        assertThatThrownBy(() -> requests.parse(null, null, "-PT5M", null))
                .isInstanceOfSatisfying(InvalidParameterException.class, e -> assertThat(e.parameter()).isEqualTo("since"));
        assertThatThrownBy(() -> requests.parse(null, null, null, "beginning"))
                .isInstanceOfSatisfying(InvalidParameterException.class, e -> assertThat(e.parameter()).isEqualTo("from"));
        assertThatThrownBy(() -> requests.parse("garbage", null, null, null))
                .isInstanceOf(MalformedCursorException.class);
    }
}
