package dev.ssebridge.bridge.admission;

import io.netty.channel.Channel;
import io.netty.channel.ServerChannel;
import io.netty.util.AttributeKey;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import reactor.netty.Connection;
import reactor.netty.ConnectionObserver;
import reactor.netty.NettyPipeline;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerState;

/**
 * Guards the server below HTTP. Every accepted TCP connection is counted ({@link TcpConnections}) before a byte is
 * read: one over its address's share or the instance's total is closed at once, one near the total is taken into
 * the reserve for status and health; every connection gets a deadline for its request's line and headers
 * ({@link AcceptedConnection}), and on HTTP/1.1 a {@link RequestHeadWatcher} that sees each request's head and each
 * response's end, and answers what the codec refused as problem+json.
 *
 * <p>Without this, a peer that opens thousands of connections and sends half a request on each holds them forever:
 * the admission limits count parsed requests only, and Reactor Netty has no deadline for a request's headers.
 *
 * <p>Refusals are counted in metrics and logged at most once a minute, with the address cut to its network
 * ({@code 203.0.113.x}, {@code 2001:db8:1::/48}): enough for an operator to see one source, not a person's address.
 */
final class AcceptGuard implements NettyServerCustomizer {

    private static final Logger log = LoggerFactory.getLogger(AcceptGuard.class);
    private static final AttributeKey<AcceptedConnection> ACCEPTED =
            AttributeKey.valueOf(AcceptGuard.class.getName() + ".accepted");
    private static final Duration LOG_INTERVAL = Duration.ofMinutes(1);

    private final TcpConnections connections;
    private final RequestLimits limits;
    private final AtomicLong lastLog = new AtomicLong(System.nanoTime() - LOG_INTERVAL.toNanos());
    private final AtomicLong refusedSinceLog = new AtomicLong();

    AcceptGuard(TcpConnections connections, RequestLimits limits) {
        this.connections = connections;
        this.limits = limits;
    }

    @Override
    public HttpServer apply(HttpServer server) {
        return server.doOnChannelInit(this::accepted).childObserve(this::observed);
    }

    /** Event loop, when a TCP connection is accepted (HTTP/2 streams pass here too, and are not connections). */
    private void accepted(ConnectionObserver observer, Channel channel, SocketAddress remote) {
        if (!(channel.parent() instanceof ServerChannel)) {
            return;
        }
        // Reactor Netty passes no remote address for a server's channels: the accepted socket knows its peer.
        SocketAddress peer = remote != null ? remote : channel.remoteAddress();
        InetAddress address = peer instanceof InetSocketAddress inet ? inet.getAddress() : null;
        TcpConnections.Admission admission = connections.accept(address);
        if (admission == TcpConnections.Admission.REFUSED_ADDRESS || admission == TcpConnections.Admission.REFUSED_AWAITING
                || admission == TcpConnections.Admission.REFUSED_TOTAL) {
            AcceptedConnection.reset(channel);
            logRefusal(admission, address);
            return;
        }
        AcceptedConnection accepted = new AcceptedConnection(channel, address, connections,
                admission == TcpConnections.Admission.RESERVE_ONLY);
        channel.attr(ACCEPTED).set(accepted);
        channel.closeFuture().addListener(closed -> accepted.closed());
        accepted.await();
        watch(channel, accepted);
    }

    /**
     * Event loop: a request's headers are complete. On HTTP/2 (a stream, whose parent is the TCP connection) that
     * ends the connection's deadline; on HTTP/1.1 the watcher saw it already, unless the pipeline only became HTTP/1.1
     * after accept (TLS with ALPN): then the watcher is installed now, for the requests that follow.
     */
    private void observed(Connection connection, ConnectionObserver.State state) {
        if (state != HttpServerState.REQUEST_RECEIVED) {
            return;
        }
        Channel channel = connection.channel();
        boolean stream = !(channel.parent() instanceof ServerChannel) && channel.parent() != null;
        AcceptedConnection accepted = (stream ? channel.parent() : channel).attr(ACCEPTED).get();
        if (accepted == null) {
            return;
        }
        if (stream) {
            accepted.streamRequest();
            if (accepted.reserveOnly() && connection instanceof HttpServerRequest request
                    && !limits.isReserved(request.uri())) {
                connections.refused(TcpConnections.Refusal.RESERVE);
                channel.close();
            }
        } else if (channel.pipeline().get(RequestHeadWatcher.NAME) == null) {
            accepted.requestHead();
            watch(channel, accepted);
        }
    }

    /** Installs the HTTP/1.1 watcher in front of Reactor Netty's request handling, where there is one yet. */
    private void watch(Channel channel, AcceptedConnection accepted) {
        if (channel.pipeline().get(NettyPipeline.HttpTrafficHandler) != null
                && channel.pipeline().get(RequestHeadWatcher.NAME) == null) {
            channel.pipeline().addBefore(NettyPipeline.HttpTrafficHandler, RequestHeadWatcher.NAME,
                    new RequestHeadWatcher(accepted, connections, limits));
        }
    }

    private void logRefusal(TcpConnections.Admission admission, InetAddress address) {
        refusedSinceLog.incrementAndGet();
        long now = System.nanoTime();
        long last = lastLog.get();
        if (now - last < LOG_INTERVAL.toNanos() || !lastLog.compareAndSet(last, now)) {
            return;
        }
        long refused = refusedSinceLog.getAndSet(0);
        if (admission == TcpConnections.Admission.REFUSED_ADDRESS) {
            log.warn("Refused {} TCP connection(s) at accept within a minute: an address over its share of {} "
                    + "(the latest from {}); metric ssebridge_tcp_connections_refused_total", refused,
                    connections.perAddressLimit(), network(address));
        } else if (admission == TcpConnections.Admission.REFUSED_AWAITING) {
            log.warn("Refused {} TCP connection(s) at accept within a minute: an address with {} new connections "
                    + "waiting for their first request already (the latest from {}); a flood of half-written requests "
                    + "looks like this; metric ssebridge_tcp_connections_refused_total", refused,
                    connections.awaitingPerAddressLimit(), network(address));
        } else {
            log.warn("Refused {} TCP connection(s) at accept within a minute: this instance holds its limit of {} "
                    + "(bridge.admission.max-tcp-connections, or the file-descriptor limit)", refused,
                    connections.limit());
        }
    }

    /** An address cut to its network, for logs: the last IPv4 byte, or all but the first 48 bits of IPv6. */
    static String network(InetAddress address) {
        if (address == null) {
            return "-";
        }
        byte[] bytes = address.getAddress();
        if (address instanceof Inet4Address) {
            return (bytes[0] & 0xff) + "." + (bytes[1] & 0xff) + "." + (bytes[2] & 0xff) + ".x";
        }
        return String.format("%x:%x:%x::/48", ((bytes[0] & 0xff) << 8) | (bytes[1] & 0xff),
                ((bytes[2] & 0xff) << 8) | (bytes[3] & 0xff), ((bytes[4] & 0xff) << 8) | (bytes[5] & 0xff));
    }
}
