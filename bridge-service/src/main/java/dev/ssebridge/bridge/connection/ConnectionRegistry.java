package dev.ssebridge.bridge.connection;

import dev.ssebridge.bridge.channel.Channel;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The open connections of this instance, for status, pings and shutdown. */
public final class ConnectionRegistry {

    private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
    /** The newest connection of each identity, so that a new one finds the one it replaces without a scan. */
    private final Map<Connection.Identity, Connection> newest = new ConcurrentHashMap<>();
    private volatile boolean closing;

    /** @return false when the instance is shutting down and takes no new connection */
    boolean add(Connection connection) {
        // A stale tab or a half-open socket with the same client id and channels: the newer one wins.
        Connection replaced = newest.put(connection.identity(), connection);
        if (replaced != null) {
            replaced.outbox().end(StreamEnd.REPLACED);
        }
        connections.add(connection);
        if (closing) {
            // close() may have run between the check and the add: end this one as well.
            connection.outbox().end(StreamEnd.SHUTDOWN);
            return false;
        }
        return true;
    }

    void remove(Connection connection) {
        connections.remove(connection);
        newest.remove(connection.identity(), connection);
    }

    Set<Connection> all() {
        return connections;
    }

    public int count() {
        return connections.size();
    }

    /** Client ids of the connections that stream {@code channel}. */
    public List<String> clientsOf(Channel channel) {
        return connections.stream().filter(c -> c.streams(channel)).map(Connection::clientId).sorted().toList();
    }

    /** How many connections stream {@code channel}; for gauges, which must not sort thousands of ids. */
    public int countOf(Channel channel) {
        int count = 0;
        for (Connection connection : connections) {
            if (connection.streams(channel)) {
                count++;
            }
        }
        return count;
    }

    public boolean isClosing() {
        return closing;
    }

    /** Ends every stream cleanly and refuses new ones. */
    void close() {
        closing = true;
        connections.forEach(c -> c.outbox().end(StreamEnd.SHUTDOWN));
    }
}
