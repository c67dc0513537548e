package dev.ssebridge.bridge.kafka;

import dev.ssebridge.bridge.channel.Channel;

/**
 * A channel's tail has failed ({@link TailState#FAILED}: Kafka refused the bridge): the channel carries no record, so
 * a stream or history query of it is refused at once rather than after a wait for partitions it will not get.
 * The message names the channel and what was refused, never Kafka's words (status and health give those).
 */
public class ChannelFailedException extends RuntimeException {

    private final Channel channel;
    private final TailStatus.Failure failure;

    ChannelFailedException(Channel channel, TailStatus status) {
        this(channel, status.failure() == null ? TailStatus.Failure.ERROR : status.failure());
    }

    private ChannelFailedException(Channel channel, TailStatus.Failure failure) {
        super("channel '" + channel.name() + "' does not read Kafka: " + explain(failure));
        this.channel = channel;
        this.failure = failure;
    }

    private static String explain(TailStatus.Failure failure) {
        return switch (failure) {
            case AUTHENTICATION -> "Kafka refused the bridge's credentials";
            case AUTHORIZATION -> "Kafka does not allow the bridge to read its topic";
            case ERROR -> "its Kafka consumer stopped on an error";
        };
    }

    public Channel channel() {
        return channel;
    }

    /** What stopped the channel's tail. */
    public TailStatus.Failure failure() {
        return failure;
    }
}
