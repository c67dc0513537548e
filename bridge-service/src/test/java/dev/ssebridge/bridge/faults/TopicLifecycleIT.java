package dev.ssebridge.bridge.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ssebridge.bridge.channel.Channels;
import dev.ssebridge.bridge.cursor.CursorCodec;
import dev.ssebridge.bridge.support.BridgeFixture;
import dev.ssebridge.bridge.support.RunningBridge;
import dev.ssebridge.bridge.support.SseClient;
import dev.ssebridge.testsupport.TestProducer;
import dev.ssebridge.testsupport.TestTopics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A channel whose topic does not exist yet, is created later and then gains partitions: no restart needed. */
class TopicLifecycleIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** The training topic does not exist yet: the bridge cannot wait for its tail. */
    @RegisterExtension
    final BridgeFixture fixture = BridgeFixture.withPartitions(1).topicNotCreated("training").tailsNotAwaited()
            .settings(Map.of("bridge.stream.ping-interval", "200ms"));

    @Test
    void aMissingTopicIsReportedThenPickedUpAndItsNewPartitionsToo() throws Exception {
        String late = fixture.topic("training");
        RunningBridge bridge = fixture.bridge();
        TestProducer producer = fixture.producer();
        try (Admin admin = TestTopics.admin()) {
            await().atMost(WAIT).untilAsserted(() -> {
                JsonNode status = JSON.readTree(bridge.get("/api/v1/sse/status"));
                assertThat(status.at("/channels/training/state").asString()).isEqualTo("waiting_for_topic");
                assertThat(status.at("/channels/alerts/state").asString()).isEqualTo("reading");
                JsonNode health = JSON.readTree(bridge.get("/actuator/health")).at("/components/kafka");
                assertThat(health.get("status").asString()).isEqualTo("UP");
                assertThat(health.at("/details/missing_topics")).extracting(JsonNode::asString).contains(late);
            });
            // A client of the missing channel still gets a stream.
            try (SseClient client = bridge.connect("/api/v1/sse/training")) {
                client.awaitConnected();
                client.awaitNamed("ping", 2, WAIT);

                admin.createTopics(List.of(new NewTopic(late, 2, (short) 1))).all().get(30, TimeUnit.SECONDS);
                // Written right away, before the tail has noticed the topic: still delivered, because the
                // tail starts at the first record written since the bridge started.
                for (int seq = 0; seq < 4; seq++) {
                    producer.send(late, seq % 2, "k", "{\"seq\":" + seq + "}");
                }
                client.awaitNamed("training_progress", 4, WAIT);
                String twoPartitionCursor = client.lastEventId();

                admin.createPartitions(Map.of(late, NewPartitions.increaseTo(4))).all().get(30, TimeUnit.SECONDS);
                await().atMost(WAIT).until(() -> JSON.readTree(bridge.get("/api/v1/sse/status"))
                        .at("/channels/training/partitions").size() == 4);
                for (int seq = 4; seq < 8; seq++) {
                    producer.send(late, seq % 4, "k", "{\"seq\":" + seq + "}");
                }
                client.awaitNamed("training_progress", 8, WAIT);
                assertThat(client.seqs("training_progress")).containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5, 6, 7);
                long[] last = bridge.bean(CursorCodec.class).decode(client.lastEventId())
                        .positions(bridge.bean(Channels.class).require("training"));
                assertThat(last).hasSize(4);

                // A cursor from before the growth resumes exactly: the new partitions from their beginning.
                try (SseClient resumed = bridge.connect("/api/v1/sse/training", Map.of("Last-Event-ID", twoPartitionCursor))) {
                    resumed.awaitNamed("training_progress", 4, WAIT);
                    assertThat(resumed.seqs("training_progress")).containsExactlyInAnyOrder(4, 5, 6, 7);
                }
            }
        }
    }
}
