package dev.ssebridge.bridge.support;

import dev.ssebridge.testsupport.TestTopics;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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

    /** Fresh topics with {@code partitions} partitions for all four channels. */
    public static TestChannels create(int partitions) {
        return create(partitions, Map.of());
    }

    /** As {@link #create(int)}, with topic configs (e.g. {@code message.timestamp.type}). */
    public static TestChannels create(int partitions, Map<String, String> topicConfigs) {
        return new TestChannels(TestTopics.createAll(
                List.of("training", "backtest", "alerts", "dashboard"), partitions, topicConfigs));
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
