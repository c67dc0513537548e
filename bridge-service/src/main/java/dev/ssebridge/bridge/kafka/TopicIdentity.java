package dev.ssebridge.bridge.kafka;

import java.time.Instant;

/**
 * Which topic a channel's tail reads: Kafka's id of it (a topic deleted and re-created with the same name gets a new
 * one), and when the tail last found it re-created.
 *
 * @param id          the topic id as Kafka prints it; null until the tail has described the topic
 * @param recreatedAt when the tail found the topic deleted and re-created and started again in the new one; null if
 *                    it never did
 */
public record TopicIdentity(String id, Instant recreatedAt) {

    static final TopicIdentity UNKNOWN = new TopicIdentity(null, null);
}
