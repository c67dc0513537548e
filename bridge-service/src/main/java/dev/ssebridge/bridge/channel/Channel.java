package dev.ssebridge.bridge.channel;

/**
 * A named stream of events backed by one Kafka topic.
 *
 * @param name      path segment and cursor entry, e.g. {@code training}
 * @param topic     Kafka topic
 * @param eventName SSE {@code event:} name of its records, e.g. {@code training_progress}
 * @param tag       16-bit identifier of the channel inside cursors (see {@link ChannelTag})
 */
public record Channel(String name, String topic, String eventName, int tag) {
}
