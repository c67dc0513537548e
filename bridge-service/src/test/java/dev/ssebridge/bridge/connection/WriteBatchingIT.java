package dev.ssebridge.bridge.connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ssebridge.bridge.channel.Channels;
import dev.ssebridge.bridge.hub.ChannelHub;
import dev.ssebridge.bridge.hub.ChannelHubs;
import dev.ssebridge.bridge.support.BridgeFixture;
import dev.ssebridge.bridge.support.SeedPayloads;
import dev.ssebridge.bridge.support.SseClient;
import dev.ssebridge.bridge.support.TestChannels;
import io.netty.util.concurrent.EventExecutor;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.MediaType;
import org.springframework.http.client.ReactorResourceFactory;
import reactor.core.Disposable;

/**
 * Live events that queue up for a connection's event loop leave in one write, with every event's own id:
 * the server's loops are held while the tail reads a burst from the real broker, then let go.
 */
class WriteBatchingIT {

    @RegisterExtension
    final BridgeFixture fixture = BridgeFixture.withPartitions(1);

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final int BURST = 8;
    private static final String EVENT = "event: " + TestChannels.EVENT_NAMES.get("training") + "\n";

    @Test
    void eventsThatWaitedForTheLoopArriveInOneChunkEachWithItsOwnId() throws Exception {
        // The body as the HTTP client receives it, chunk by chunk (a chunk may be split, never merged).
        List<String> chunks = new CopyOnWriteArrayList<>();
        Disposable raw = fixture.bridge().webClient().get().uri("/api/v1/sse/training").accept(MediaType.TEXT_EVENT_STREAM)
                .retrieve().bodyToFlux(DataBuffer.class)
                .subscribe(buffer -> {
                    chunks.add(buffer.toString(StandardCharsets.UTF_8));
                    DataBufferUtils.release(buffer);
                });
        SseClient client = fixture.bridge().connect("/api/v1/sse/training");
        try {
            client.awaitConnected();
            await().atMost(WAIT).until(() -> chunks.stream().anyMatch(c -> c.contains("event: connected")));
            ChannelHub hub = fixture.bridge().bean(ChannelHubs.class).of(fixture.bridge().bean(Channels.class).require("training"));
            long published = hub.counters().publishedCount();

            CountDownLatch release = new CountDownLatch(1);
            List<EventExecutor> loops = new ArrayList<>();
            fixture.bridge().bean(ReactorResourceFactory.class).getLoopResources().onServer(true).forEach(loops::add);
            CountDownLatch held = new CountDownLatch(loops.size());
            try {
                for (EventExecutor loop : loops) {
                    loop.execute(() -> {
                        held.countDown();
                        awaitQuietly(release);
                    });
                }
                assertThat(held.await(10, TimeUnit.SECONDS)).isTrue();
                for (int i = 0; i < BURST; i++) {
                    fixture.producer().send(fixture.channels().topic("training"), "task-1", SeedPayloads.of("training", i));
                }
                // The tail has read the burst and handed it to the loops, which cannot run yet.
                await().atMost(WAIT).until(() -> hub.counters().publishedCount() >= published + BURST);
            } finally {
                release.countDown();
            }

            List<SseClient.Received> events = client.awaitNamed(TestChannels.EVENT_NAMES.get("training"), BURST, WAIT);
            await().atMost(WAIT).until(() -> String.join("", chunks).split(EVENT, -1).length - 1 == BURST);
            assertThat(chunks).anySatisfy(chunk -> assertThat(chunk.split(EVENT, -1).length - 1)
                    .as("events in one chunk").isGreaterThan(1));
            assertThat(events).extracting(e -> e.payload().get("n").asInt())
                    .containsExactly(0, 1, 2, 3, 4, 5, 6, 7);
            assertThat(events).extracting(SseClient.Received::id).doesNotHaveDuplicates().doesNotContainNull();

            // Each id inside the batch is exact: resuming after the fourth event gives the other four.
            SseClient resumed = fixture.bridge().connect("/api/v1/sse/training", Map.of("Last-Event-ID", events.get(3).id()));
            try {
                assertThat(resumed.awaitNamed(TestChannels.EVENT_NAMES.get("training"), BURST - 4, WAIT))
                        .extracting(e -> e.payload().get("n").asInt()).containsExactly(4, 5, 6, 7);
            } finally {
                resumed.close();
            }
        } finally {
            client.close();
            raw.dispose();
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
