package dev.ssebridge.bridge.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ssebridge.bridge.support.BridgeFixture;
import dev.ssebridge.bridge.support.RunningBridge;
import dev.ssebridge.bridge.support.SseClient;
import dev.ssebridge.testsupport.TestProducer;
import dev.ssebridge.testsupport.TestTopics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A channel's topic deleted and re-created with the same name, as an operator resetting a topic does: its offsets
 * start again at 0, so a cursor of the old topic says nothing about the new one. The bridge notices (the topic id
 * changed), ends the live streams ({@code stream_end topic_recreated}), serves a cursor of the old topic the new one
 * from its beginning with a {@code replay_gap} that says why, and shows the new topic id in status. Against a
 * bridge that kept the old positions, the live client got the new topic from offset 3 on without a word, and so did
 * the resume below: 4 of its 10 records.
 */
class TopicRecreationIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @RegisterExtension
    final BridgeFixture fixture = BridgeFixture.withPartitions(2)
            .settings(Map.of("bridge.stream.ping-interval", "200ms"));

    @Test
    void aReCreatedTopicEndsLiveStreamsAndOldCursorsResumeAtTheNewTopicsBeginning() throws Exception {
        String topic = fixture.topic("training");
        RunningBridge bridge = fixture.bridge();
        TestProducer producer = fixture.producer();
        String oldId = JSON.readTree(bridge.get("/api/v1/sse/status")).at("/channels/training/topic_id").asString();
        assertThat(oldId).isNotBlank();
        try (Admin admin = TestTopics.admin();
             SseClient live = bridge.connect("/api/v1/sse/training")) {
            live.awaitConnected();
            for (int seq = 0; seq < 6; seq++) {
                producer.send(topic, seq % 2, "k" + seq, "{\"seq\":" + seq + "}");
            }
            live.awaitNamed("training_progress", 6, WAIT);
            String oldCursor = live.lastEventId(); // offsets [3, 3] of the old topic

            admin.deleteTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
            await().atMost(WAIT).until(() -> !admin.listTopics().names().get().contains(topic));
            admin.createTopics(List.of(new NewTopic(topic, 2, (short) 1))).all().get(30, TimeUnit.SECONDS);
            // Past the old topic's end in both partitions (offsets 0..4): a bridge that kept the old positions
            // reads from offset 3 and never says what it skipped.
            for (int seq = 100; seq < 110; seq++) {
                producer.send(topic, seq % 2, "k" + seq, "{\"seq\":" + seq + "}");
            }

            SseClient.Received end = live.awaitNamed("stream_end", 1, WAIT).get(0);
            assertThat(end.payload().get("reason").asString()).isEqualTo("topic_recreated");
            await().atMost(WAIT).untilAsserted(() -> {
                JsonNode status = JSON.readTree(bridge.get("/api/v1/sse/status")).at("/channels/training");
                assertThat(status.get("topic_id").asString()).isNotEqualTo(oldId);
                assertThat(status.get("topic_recreated_at").asString()).isNotBlank();
                assertThat(status.get("state").asString()).isEqualTo("reading");
            });

            // The state (latest value per key) is the new topic's alone.
            try (SseClient snapshot = bridge.connect("/api/v1/sse/training?snapshot=true")) {
                snapshot.awaitNamed("snapshot_end", 1, WAIT);
                assertThat(snapshot.seqs("training_progress"))
                        .containsExactlyInAnyOrderElementsOf(IntStream.range(100, 110).boxed().toList());
            }

            List<Integer> newTopic = new ArrayList<>(IntStream.range(100, 110).boxed().toList());
            for (String cursor : List.of(oldCursor, end.id())) {
                try (SseClient resumed = bridge.connect("/api/v1/sse/training", Map.of("Last-Event-ID", cursor))) {
                    SseClient.Received gap = resumed.awaitNamed("replay_gap", 1, WAIT).get(0);
                    assertThat(gap.payload().get("reason").asString()).isEqualTo("topic_recreated");
                    assertThat(gap.payload().get("channel").asString()).isEqualTo("training");
                    resumed.awaitNamed("training_progress", newTopic.size(), WAIT);
                    assertThat(resumed.seqs("training_progress")).as("the new topic, each record once")
                            .containsExactlyInAnyOrderElementsOf(newTopic);
                    assertOrderedPerPartition(resumed);

                    // Its cursor is of the new topic: a resume from it is exact and needs no gap.
                    String newCursor = resumed.lastEventId();
                    int next = 200 + newTopic.size();
                    producer.send(topic, next % 2, "k", "{\"seq\":" + next + "}");
                    newTopic.add(next);
                    resumed.awaitNamed("training_progress", newTopic.size(), WAIT);
                    try (SseClient again = bridge.connect("/api/v1/sse/training", Map.of("Last-Event-ID", newCursor))) {
                        again.awaitNamed("training_progress", 1, WAIT);
                        assertThat(again.named("replay_gap")).isEmpty();
                        assertThat(again.seqs("training_progress")).containsExactly(next);
                    }
                }
            }
            // The old live client: the old topic, then at most what the tail read of the new one before it noticed the
            // new topic id (those it gets again when it resumes), then the end.
            List<Integer> seen = live.seqs("training_progress");
            assertThat(seen.subList(0, 6)).containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5);
            assertThat(seen.subList(6, seen.size())).isSubsetOf(IntStream.range(100, 110).boxed().toList());
            assertThat(live.all().get(live.all().size() - 1).event()).isEqualTo("stream_end");
        }
    }

    /** Each partition's records in offset order: here the sequence numbers rise per partition. */
    private static void assertOrderedPerPartition(SseClient client) {
        for (int partition = 0; partition < 2; partition++) {
            int p = partition;
            List<Integer> seqs = client.seqs("training_progress").stream().filter(seq -> seq % 2 == p).toList();
            assertThat(seqs).as("partition %d", p).isSorted();
        }
    }
}
