package dev.ssebridge.bridge.support;

import dev.ssebridge.testsupport.KafkaBroker;
import dev.ssebridge.testsupport.TestKafka;
import dev.ssebridge.testsupport.TestTopics;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The four seed channels on fresh topics, so each test sees only its own records.
 *
 * @param topics channel name to its fresh topic
 */
public record TestChannels(Map<String, String> topics) {

    public static final Map<String, String> EVENT_NAMES = Map.of(
            "training", "training_progress",
            "backtest", "backtest_progress",
            "alerts", "risk_alert",
            "dashboard", "dashboard_update");

    private static final List<String> CHANNELS = List.of("training", "backtest", "alerts", "dashboard");

    /** Fresh topics with {@code partitions} partitions for all four channels. */
    public static TestChannels create(int partitions) {
        return create(partitions, Map.of());
    }

    /** As {@link #create(int)}, with topic configs (e.g. {@code message.timestamp.type}). */
    public static TestChannels create(int partitions, Map<String, String> topicConfigs) {
        return create(TestKafka.broker(), partitions, topicConfigs, Set.of());
    }

    /**
     * As {@link #create(int, Map)}, on {@code broker}; the topics of the channels in {@code notCreated} are named
     * but not created (the test creates them when it wants).
     */
    public static TestChannels create(KafkaBroker broker, int partitions, Map<String, String> topicConfigs,
                                      Set<String> notCreated) {
        List<String> created = CHANNELS.stream().filter(channel -> !notCreated.contains(channel)).toList();
        Map<String, String> topics = new LinkedHashMap<>(TestTopics.createAll(broker, created, partitions, topicConfigs));
        notCreated.forEach(channel -> topics.put(channel, TestTopics.freshName(channel)));
        return new TestChannels(topics);
    }

    public String topic(String channel) {
        return topics.get(channel);
    }

    /** {@code bridge.channels.*} properties pointing every channel at its fresh topic. */
    public Map<String, Object> properties() {
        Map<String, Object> props = new LinkedHashMap<>();
        topics.forEach((channel, topic) -> {
            props.put("bridge.channels." + channel + ".topic", topic);
            props.put("bridge.channels." + channel + ".event-name", EVENT_NAMES.get(channel));
        });
        return props;
    }
}
