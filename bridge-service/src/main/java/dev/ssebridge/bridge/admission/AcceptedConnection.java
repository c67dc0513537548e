package dev.ssebridge.bridge.admission;

import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * One accepted TCP connection as the guard sees it: its place in the counts, and the deadline for its request's
 * line and headers. The deadline runs from accept (the header timeout), and again from the end of each response on a
 * kept-alive HTTP/1.1 connection (the keep-alive timeout); it stops when a request's headers are complete. Bytes
 * that trickle in do not move it: a client that sends a byte every few seconds is closed like one that sends
 * nothing.
 *
 * <p>Threads: every method runs on the connection's event loop (accept, its pipeline, its close, the deadline).
 */
final class AcceptedConnection {

    private final Channel channel;
    private final InetAddress address;
    private final TcpConnections connections;
    private final boolean reserveOnly;
    private ScheduledFuture<?> deadline;
    private int inFlight; // HTTP/1.1 requests received whose response has not ended
    private boolean firstRequestDue = true; // counted among its address's connections awaiting a first request

    AcceptedConnection(Channel channel, InetAddress address, TcpConnections connections, boolean reserveOnly) {
        this.channel = channel;
        this.address = address;
        this.connections = connections;
        this.reserveOnly = reserveOnly;
    }

    /** Whether the connection was taken into the reserve: only status and health are answered on it. */
    boolean reserveOnly() {
        return reserveOnly;
    }

    /** Starts the deadline for the first request's line and headers. */
    void await() {
        await(connections.headerTimeout());
    }

    private void await(Duration timeout) {
        if (deadline == null && channel.isActive()) {
            connections.awaiting(1);
            deadline = channel.eventLoop().schedule(this::expire, timeout.toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    /** An HTTP/1.1 request's line and headers are complete: the deadline stops until its response ends. */
    void requestHead() {
        inFlight++;
        stopDeadline();
        firstRequestSettled();
    }

    /** A request on an HTTP/2 stream is complete: the connection did what the deadline asked of it. */
    void streamRequest() {
        stopDeadline();
        firstRequestSettled();
    }

    private void firstRequestSettled() {
        if (firstRequestDue) {
            firstRequestDue = false;
            connections.firstRequestSettled(address);
        }
    }

    /** An HTTP/1.1 response ended; with no other request waiting, the next one's headers are due in time. */
    void responseEnded() {
        if (inFlight > 0 && --inFlight == 0) {
            await(connections.keepAliveTimeout());
        }
    }

    /** The connection closed, whoever closed it. */
    void closed() {
        stopDeadline();
        firstRequestSettled();
        connections.release(address);
    }

    private void stopDeadline() {
        if (deadline != null) {
            deadline.cancel(false);
            deadline = null;
            connections.awaiting(-1);
        }
    }

    private void expire() {
        if (deadline == null) {
            return; // stopped while this task was on its way
        }
        deadline = null;
        connections.awaiting(-1);
        connections.refused(TcpConnections.Refusal.HEADER_TIMEOUT);
        reset(channel);
    }

    /**
     * Closes a connection with a reset rather than the usual handshake: nothing is left in TIME_WAIT on this side for
     * a connection the bridge refuses, and the client (an EventSource) sees a network error, which it retries.
     */
    static void reset(Channel channel) {
        channel.config().setOption(ChannelOption.SO_LINGER, 0);
        channel.close();
    }
}
