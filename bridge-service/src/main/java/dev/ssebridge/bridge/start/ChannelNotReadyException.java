package dev.ssebridge.bridge.start;

import dev.ssebridge.bridge.channel.Channel;

/**
 * A start cannot be resolved for a channel now: its tail has no partitions yet (topic missing, Kafka
 * unreachable since start-up) or Kafka did not answer an offset look-up.
 */
public class ChannelNotReadyException extends RuntimeException {

    private final Channel channel;

    public ChannelNotReadyException(Channel channel) {
        super("channel '" + channel.name() + "' cannot reach its topic " + channel.topic()
                + " in Kafka right now (topic missing or Kafka unreachable); retry shortly");
        this.channel = channel;
    }

    public Channel channel() {
        return channel;
    }
}
