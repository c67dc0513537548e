package dev.ssebridge.bridge.stream;

import dev.ssebridge.bridge.channel.Channel;
import dev.ssebridge.bridge.hub.Outbox;
import java.time.Instant;
import java.util.List;

/**
 * One open SSE response.
 *
 * @param clientId    the client's id (given as {@code client_id} or generated)
 * @param channels    the channels it streams, in request order
 * @param outbox      its bounded queue
 * @param connectedAt when it opened
 */
record Connection(String clientId, List<Channel> channels, Outbox outbox, Instant connectedAt) {

    boolean streams(Channel channel) {
        return channels.contains(channel);
    }

    /** Identity, not value: two connections of the same client id are two entries. */
    @Override
    public boolean equals(Object o) {
        return this == o;
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(this);
    }
}
