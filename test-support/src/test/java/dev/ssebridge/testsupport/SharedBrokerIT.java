package dev.ssebridge.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;

class SharedBrokerIT {

    @Test
    void freshTopicsAreEmptyAndCarryWhatIsProduced() throws Exception {
        String topic = TestTopics.create("smoke", 3);
        try (Admin admin = TestTopics.admin()) {
            assertThat(admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions()).hasSize(3);
        }

        try (TestProducer producer = new TestProducer()) {
            for (int i = 0; i < 3; i++) {
                producer.send(topic, i, "k" + i, "{\"n\":" + i + "}");
            }
        }

        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers());
        try (var consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = List.of(
                    new TopicPartition(topic, 0), new TopicPartition(topic, 1), new TopicPartition(topic, 2));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            List<String> values = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (values.size() < 3 && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    values.add(new String(r.value(), StandardCharsets.UTF_8));
                }
            }
            assertThat(values).containsExactlyInAnyOrder("{\"n\":0}", "{\"n\":1}", "{\"n\":2}");
        }
    }

    @Test
    void topicNamesAreUnique() {
        assertThat(TestTopics.create("unique", 1, Map.of())).isNotEqualTo(TestTopics.create("unique", 1, Map.of()));
    }
}
