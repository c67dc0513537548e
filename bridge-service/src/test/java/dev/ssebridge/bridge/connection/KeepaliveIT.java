package dev.ssebridge.bridge.connection;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ssebridge.bridge.support.BridgeFixture;
import dev.ssebridge.bridge.support.RunningBridge;
import dev.ssebridge.bridge.support.SeedPayloads;
import dev.ssebridge.bridge.support.SseClient;
import dev.ssebridge.bridge.support.TestChannels;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Flux;

class KeepaliveIT {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @RegisterExtension
    final BridgeFixture fixture = BridgeFixture.withPartitions(1)
            .settings(Map.of("bridge.stream.ping-interval", "200ms"));

    @Test
    void pingsArriveAtTheConfiguredInterval() {
        try (SseClient client = fixture.bridge().connect("/api/v1/sse/training")) {
            client.awaitConnected();

            List<SseClient.Received> pings = client.awaitNamed("ping", 6, WAIT);

            // Six pings within 10 s: the configured 200 ms, not the default 30 s. Never faster than configured (a
            // busy machine only makes gaps longer, so no upper bound is asserted).
            long spanMillis = Duration.between(pings.get(0).at(), pings.get(5).at()).toMillis();
            assertThat(spanMillis / 5.0).isGreaterThanOrEqualTo(150.0);
            assertThat(pings.get(0).payload().isObject()).isTrue();
            assertThat(pings.get(0).json().get("timestamp").asString()).endsWith("Z");
            assertThat(pings).allSatisfy(p -> assertThat(p.id()).as("pings carry no id").isNull());
        }
    }

    /**
     * Events every 100 ms for 4 s under a 2 s interval: the stream that writes them gets no ping meanwhile (a stall of
     * the producer or the broker would have to last 2 s to allow one), and one on the same channel whose {@code where}
     * skips every event is still pinged (what counts is what a stream writes, not what its channel carries). Once the
     * events stop, the busy stream is pinged again.
     */
    @Test
    void aStreamThatCarriesEventsIsNotPingedAndOneThatSkipsThemIs() {
        RunningBridge bridge = fixture.startAnother(Map.of("bridge.stream.ping-interval", "2s"));
        String event = TestChannels.EVENT_NAMES.get("training");
        try (SseClient busy = bridge.connect("/api/v1/sse/training");
             SseClient quiet = bridge.connectEncoded("/api/v1/sse/training?where="
                     + RunningBridge.encode("data.progress > 1000"), Map.of())) {
            busy.awaitConnected();
            quiet.awaitConnected();

            Flux.interval(Duration.ofMillis(100)).take(40)
                    .doOnNext(i -> fixture.producer().send(fixture.topic("training"), "task-1",
                            SeedPayloads.of("training", i.intValue())))
                    .blockLast(WAIT);
            List<SseClient.Received> events = busy.awaitNamed(event, 40, WAIT);

            Instant first = events.get(0).at();
            Instant last = events.get(39).at();
            assertThat(busy.named("ping")).as("pings between the busy stream's first and last event")
                    .noneMatch(p -> p.at().isAfter(first) && p.at().isBefore(last));
            assertThat(quiet.named(event)).isEmpty();
            assertThat(quiet.named("ping")).as("pings of the stream that skips the events while they flowed")
                    .filteredOn(p -> p.at().isAfter(first) && p.at().isBefore(last)).isNotEmpty();
            busy.awaitNamed("ping", busy.named("ping").size() + 1, WAIT);
        }
    }
}
