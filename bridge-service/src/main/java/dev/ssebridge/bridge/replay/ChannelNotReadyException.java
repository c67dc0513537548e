package dev.ssebridge.bridge.replay;

import dev.ssebridge.bridge.channel.Channel;

/** A channel's tail has no partitions yet (its topic is missing or Kafka unreachable), so no start can be resolved. */
public class ChannelNotReadyException extends RuntimeException {

    private final Channel channel;

    public ChannelNotReadyException(Channel channel) {
        super("channel '" + channel.name() + "' is not reading Kafka yet (topic " + channel.topic()
                + " missing or Kafka unreachable); retry shortly");
        this.channel = channel;
    }

    public Channel channel() {
        return channel;
    }
}
