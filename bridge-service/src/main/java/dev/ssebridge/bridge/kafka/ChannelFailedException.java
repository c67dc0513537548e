package dev.ssebridge.bridge.kafka;

import dev.ssebridge.bridge.channel.Channel;
import java.time.Instant;

/**
 * A channel's tail has failed ({@link TailState#FAILED}: Kafka refused the bridge): the channel carries no record, so
 * a stream or history query of it is refused at once rather than after a wait for partitions it will not get.
 * The message names the channel and what was refused, never Kafka's words (status and health give those).
 */
public class ChannelFailedException extends RuntimeException {

    private final Channel channel;
    private final TailStatus.Failure failure;
    private final Instant nextAttempt;

    ChannelFailedException(Channel channel, TailStatus status) {
        super("channel '" + channel.name() + "' does not read Kafka: " + explain(failure(status)));
        this.channel = channel;
        this.failure = failure(status);
        this.nextAttempt = status.nextAttempt();
    }

    private static TailStatus.Failure failure(TailStatus status) {
        return status.failure() == null ? TailStatus.Failure.ERROR : status.failure();
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

    /** When the channel's tail tries Kafka again, or null when it does not (a bug stopped it). */
    public Instant nextAttempt() {
        return nextAttempt;
    }
}
