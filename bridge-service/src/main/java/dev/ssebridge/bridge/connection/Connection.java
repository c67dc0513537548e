package dev.ssebridge.bridge.connection;

import dev.ssebridge.bridge.channel.Channel;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * One open SSE response.
 *
 * @param owner       the token subject the stream is for; empty without security
 * @param clientId    the client's id (given as {@code client_id} or generated)
 * @param channels    the channels it streams, in request order
 * @param outbox      its bounded queue
 * @param connectedAt when it opened
 */
record Connection(String owner, String clientId, List<Channel> channels, Outbox outbox, Instant connectedAt) {

    boolean streams(Channel channel) {
        return channels.contains(channel);
    }

    /** Same owner, same client id, same channels: a reconnect of the same page, which replaces this one. */
    record Identity(String owner, String clientId, Set<Channel> channels) {
    }

    Identity identity() {
        return new Identity(owner, clientId, Set.copyOf(channels));
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
