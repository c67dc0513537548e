package dev.ssebridge.bridge.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ssebridge.bridge.support.BridgeFixture;
import dev.ssebridge.bridge.support.Produced;
import dev.ssebridge.bridge.support.RunningBridge;
import dev.ssebridge.bridge.support.SseClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * Clients streaming from bridge A while records keep coming; A shuts down mid-stream; every client moves
 * to bridge B with its cursor and ends with exactly the produced sequence.
 */
@ExtendWith(OutputCaptureExtension.class)
class BridgeRestartIT {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @RegisterExtension
    final BridgeFixture fixture = BridgeFixture.withPartitions(3);

    @Test
    void clientsMoveToAnotherInstanceWithoutLossAndShutdownIsClean(CapturedOutput output) throws Exception {
        RunningBridge a = fixture.bridge();
        RunningBridge b = fixture.startAnother(Map.of());
        Produced produced = new Produced(fixture.producer(), fixture.topic("training"));
        List<SseClient> onA = new ArrayList<>();
        List<long[]> starts = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            SseClient client = a.connect(i % 2 == 0 ? "/api/v1/sse/training" : "/api/v1/sse/stream?channels=training,alerts");
            onA.add(client);
            starts.add(null);
        }
        for (int i = 0; i < onA.size(); i++) {
            onA.get(i).awaitConnected();
        }
        AtomicBoolean producing = new AtomicBoolean(true);
        ExecutorService writer = Executors.newSingleThreadExecutor();
        Future<?> writing = writer.submit(() -> {
            while (producing.get()) {
                produced.next();
            }
        });
        await().atMost(WAIT).until(() -> produced.all().size() > 100);
        int outputBefore = output.length();

        a.close();

        for (SseClient client : onA) {
            await().atMost(WAIT).untilAsserted(() -> assertThat(client.isCompleted())
                    .as("completed; error %s; last events %s", client.error(),
                            client.all().subList(Math.max(0, client.all().size() - 2), client.all().size()))
                    .isTrue());
            assertThat(client.named("stream_end")).singleElement()
                    .satisfies(end -> assertThat(end.payload().get("reason").asString()).isEqualTo("shutdown"));
        }
        String shutdownLog = output.toString().substring(outputBefore);
        assertThat(shutdownLog).doesNotContain("Exception").doesNotContain(" ERROR ");

        List<SseClient> onB = new ArrayList<>();
        for (SseClient client : onA) {
            String path = client == onA.get(0) || client == onA.get(2) ? "/api/v1/sse/training"
                    : "/api/v1/sse/stream?channels=training,alerts";
            onB.add(b.connect(path, Map.of("Last-Event-ID", client.lastEventId())));
        }
        await().atMost(WAIT).until(() -> produced.all().size() > 300);
        producing.set(false);
        writing.get(30, TimeUnit.SECONDS);
        writer.shutdown();

        for (int i = 0; i < onA.size(); i++) {
            SseClient first = onA.get(i);
            SseClient second = onB.get(i);
            long[] start = startOf(b, first.all().get(0).id());
            int expected = produced.expectedFrom(start).values().stream().mapToInt(List::size).sum();
            try {
                await().atMost(WAIT).until(() -> first.named("training_progress").size()
                        + second.named("training_progress").size() >= expected);
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                // Fall through: the comparison shows what is missing.
            }
            List<Integer> all = new ArrayList<>(first.seqs("training_progress"));
            all.addAll(second.seqs("training_progress"));
            assertThat(produced.asReceived(all)).as("client %d (on B: error %s, %d events, first %s): %s", i, second.error(), second.all().size(), second.all().isEmpty() ? null : second.all().get(0),
                    Produced.difference(produced.expectedFrom(start), produced.asReceived(all)))
                    .isEqualTo(produced.expectedFrom(start));
            second.close();
        }
    }

    private static long[] startOf(RunningBridge bridge, String cursor) {
        var codec = bridge.bean(dev.ssebridge.bridge.cursor.CursorCodec.class);
        var training = bridge.bean(dev.ssebridge.bridge.channel.Channels.class).require("training");
        return codec.decode(cursor).positions(training);
    }
}
