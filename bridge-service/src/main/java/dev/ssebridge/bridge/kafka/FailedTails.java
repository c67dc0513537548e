package dev.ssebridge.bridge.kafka;

import dev.ssebridge.bridge.channel.Channel;
import java.util.List;
import reactor.core.publisher.Mono;

/**
 * Which channels' tails have failed, for streams and history queries to be refused at once
 * ({@link ChannelFailedException}). A failed tail has stopped: a stream of its channel would be a {@code connected}
 * event and then nothing, and a start that waits for the tail's partitions would wait its whole timeout for them.
 * A tail that is starting, waits for its topic, or retries while Kafka does not answer is not failed: requests wait
 * for it as before.
 *
 * <p>The state is read when asked, not remembered: a tail that reads again is served again.
 */
public final class FailedTails {

    private final TailLifecycle channels;
    private final FamilyTails members;

    FailedTails(TailLifecycle channels, FamilyTails members) {
        this.channels = channels;
        this.members = members;
    }

    /** Any thread: throws {@link ChannelFailedException} for the first channel of {@code stream} whose tail failed. */
    public void check(List<Channel> stream) {
        for (Channel channel : stream) {
            TopicTail tail = tailOf(channel);
            TailStatus status = tail == null ? null : tail.status();
            if (status != null && status.state() == TailState.FAILED) {
                throw new ChannelFailedException(channel, status);
            }
        }
    }

    /**
     * Any thread: {@code wait} (for the tail's partitions, for a state's bootstrap), cut short by a
     * {@link ChannelFailedException} once the channel's tail fails, at once if it has.
     */
    public <T> Mono<T> unlessFailed(Channel channel, Mono<T> wait) {
        return Mono.defer(() -> {
            TopicTail tail = tailOf(channel);
            if (tail == null) {
                return wait;
            }
            // whenFailed emits only once the tail has failed, with the failure's status (the tail may have started
            // again since).
            Mono<T> failure = tail.whenFailed()
                    .flatMap(status -> Mono.error(new ChannelFailedException(channel, status)));
            // The failure first: a tail that has failed wins even over a wait that would complete at once.
            return Mono.firstWithSignal(failure, wait);
        });
    }

    private TopicTail tailOf(Channel channel) {
        return channel.isMember() ? members.tail(channel) : channels.tail(channel);
    }
}
