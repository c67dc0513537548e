package dev.ssebridge.bridge.admission;

import dev.ssebridge.bridge.config.BridgeProperties.AdmissionProperties;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.net.InetAddress;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * The TCP connections of this instance, counted at accept, before any HTTP is read: in total, per peer address,
 * and those still waiting for their request's headers. Whatever a connection carries (a stream, a status request,
 * nothing yet) it holds a file descriptor; these counts are what keeps one address, or a crowd, from taking them
 * all. Refusing happens here, at accept, for the cost of a close.
 *
 * <p>The total: {@code max-tcp-connections}, or by default what the process's file-descriptor limit leaves after
 * the descriptors it holds at start and a margin for what it opens later (Kafka and registry connections, replay
 * consumers). Past the total the instance would hit "too many open files" in {@code accept}, which stalls every
 * client; before it, the last {@code tcp-connection-reserve} connections are kept for status and health.
 *
 * <p>Thread-safe: accepts and closes come from every event loop.
 */
public final class TcpConnections {

    /** Descriptors kept for what the process opens besides connections, when the total comes from the limit. */
    static final int DESCRIPTOR_MARGIN = 256;
    /** How long a refusal at the total keeps the instance degraded in status and health. */
    static final Duration DEGRADED_AFTER_REFUSAL = Duration.ofMinutes(1);

    /** What becomes of a new connection. */
    enum Admission {
        /** Served as usual. */
        ACCEPTED,
        /** Taken into the reserve: only status and health requests are answered on it. */
        RESERVE_ONLY,
        /** Closed at once: its address holds its share. */
        REFUSED_ADDRESS,
        /** Closed at once: its address has as many new connections waiting for their request as it may. */
        REFUSED_AWAITING,
        /** Closed at once: the instance holds as many connections as it can. */
        REFUSED_TOTAL
    }

    /** Why the bridge refused or closed a connection, or refused a request, before the request reached it. */
    public enum Refusal {
        ADDRESS("address"), AWAITING("awaiting"), TOTAL("total"), RESERVE("reserve"), HEADER_TIMEOUT("header_timeout"),
        REQUEST_LINE_TOO_LONG("request_line_too_long"), HEADERS_TOO_LARGE("headers_too_large"),
        MALFORMED_REQUEST("malformed_request");

        private final String label;

        Refusal(String label) {
            this.label = label;
        }

        /** The name in metrics and status. */
        public String label() {
            return label;
        }
    }

    private final int perAddressLimit;
    private final int awaitingPerAddressLimit;
    private final int limit;
    private final int reserve;
    private final Duration headerTimeout;
    private final Duration keepAliveTimeout;
    private final LongSupplier nanoTime;
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicInteger awaitingRequest = new AtomicInteger();
    private final ConcurrentHashMap<InetAddress, Integer> openByAddress = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<InetAddress, Integer> awaitingFirstByAddress = new ConcurrentHashMap<>();
    private final Map<Refusal, LongAdder> refused = new EnumMap<>(Refusal.class);
    private final AtomicLong lastRefusedAtTotal = new AtomicLong(Long.MIN_VALUE);

    /**
     * @param limit the total, already settled (see {@link #limitFor})
     */
    TcpConnections(AdmissionProperties settings, int limit, LongSupplier nanoTime) {
        // Behind a proxy every connection's peer is the proxy: a cap per peer would cap the proxy.
        this.perAddressLimit = settings.clientAddressHeader() != null ? 0 : settings.maxTcpConnectionsPerAddress();
        this.awaitingPerAddressLimit = settings.clientAddressHeader() != null ? 0 : settings.maxAwaitingPerAddress();
        this.limit = limit;
        this.reserve = Math.min(settings.tcpConnectionReserve(), Math.max(0, limit - 1));
        this.headerTimeout = settings.headerTimeout();
        this.keepAliveTimeout = settings.keepAliveTimeout();
        this.nanoTime = nanoTime;
        for (Refusal reason : Refusal.values()) {
            refused.put(reason, new LongAdder());
        }
    }

    /**
     * The total the settings ask for, or, when they leave it to the process ({@code 0}), its file-descriptor limit
     * less the descriptors open now and {@link #DESCRIPTOR_MARGIN}; {@link Integer#MAX_VALUE} where the JVM does not
     * tell the limit.
     */
    static int limitFor(AdmissionProperties settings) {
        if (settings.maxTcpConnections() > 0) {
            return settings.maxTcpConnections();
        }
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
            long free = unix.getMaxFileDescriptorCount() - unix.getOpenFileDescriptorCount() - DESCRIPTOR_MARGIN;
            return (int) Math.max(settings.tcpConnectionReserve() + 1L, Math.min(Integer.MAX_VALUE, free));
        }
        return Integer.MAX_VALUE;
    }

    /** Event loop, at accept: counts the connection, or says why it is refused (then nothing is counted). */
    Admission accept(InetAddress address) {
        int now = open.incrementAndGet();
        if (now > limit) {
            open.decrementAndGet();
            lastRefusedAtTotal.set(nanoTime.getAsLong());
            refused(Refusal.TOTAL);
            return Admission.REFUSED_TOTAL;
        }
        if (address != null && !countIn(openByAddress, address, perAddressLimit)) {
            open.decrementAndGet();
            refused(Refusal.ADDRESS);
            return Admission.REFUSED_ADDRESS;
        }
        if (address != null && awaitingPerAddressLimit > 0 && !countIn(awaitingFirstByAddress, address,
                scarce(now) ? awaitingPerAddressLimit : Integer.MAX_VALUE)) {
            uncount(openByAddress, address, perAddressLimit);
            open.decrementAndGet();
            refused(Refusal.AWAITING);
            return Admission.REFUSED_AWAITING;
        }
        return now > limit - reserve ? Admission.RESERVE_ONLY : Admission.ACCEPTED;
    }

    /**
     * Whether places are scarce with {@code now} open: fewer left than one address may hold, so one address could
     * take them all (always, without a cap per address). Only then is an address held to its waiting places: with
     * more free, a crowd reconnecting from one network while the instance is slow to read is not refused.
     */
    private boolean scarce(int now) {
        return now > limit - reserve - (perAddressLimit > 0 ? perAddressLimit : limit);
    }

    /** One more for {@code address} in {@code counts}, unless it holds {@code cap} already (0: no cap, no count). */
    private static boolean countIn(ConcurrentHashMap<InetAddress, Integer> counts, InetAddress address, int cap) {
        if (cap <= 0) {
            return true;
        }
        boolean[] full = new boolean[1];
        // Counted inside compute: a concurrent release cannot remove the entry between check and increment.
        counts.compute(address, (a, n) -> {
            int next = (n == null ? 0 : n) + 1;
            if (next > cap) {
                full[0] = true;
                return n;
            }
            return next;
        });
        return !full[0];
    }

    private static void uncount(ConcurrentHashMap<InetAddress, Integer> counts, InetAddress address, int cap) {
        if (cap > 0) {
            counts.computeIfPresent(address, (a, n) -> n <= 1 ? null : n - 1);
        }
    }

    /** Event loop: an accepted connection's first request arrived, or it closed before one did. */
    void firstRequestSettled(InetAddress address) {
        if (address != null) {
            uncount(awaitingFirstByAddress, address, awaitingPerAddressLimit);
        }
    }

    /** Event loop, when an accepted connection closes. */
    void release(InetAddress address) {
        open.decrementAndGet();
        if (address != null) {
            uncount(openByAddress, address, perAddressLimit);
        }
    }

    void awaiting(int delta) {
        awaitingRequest.addAndGet(delta);
    }

    void refused(Refusal reason) {
        refused.get(reason).increment();
    }

    Duration headerTimeout() {
        return headerTimeout;
    }

    Duration keepAliveTimeout() {
        return keepAliveTimeout;
    }

    /** TCP connections open now. */
    public int open() {
        return open.get();
    }

    /** Of those, the ones whose request line and headers have not arrived yet. */
    public int awaitingRequest() {
        return awaitingRequest.get();
    }

    /** The most TCP connections the instance holds. */
    public int limit() {
        return limit;
    }

    /** The last connections below the limit, kept for status and health. */
    public int reserve() {
        return reserve;
    }

    /** TCP connections one peer address may hold; 0 when there is no such cap. */
    public int perAddressLimit() {
        return perAddressLimit;
    }

    /** New connections one peer address may have waiting for their first request; 0 when there is no such cap. */
    public int awaitingPerAddressLimit() {
        return awaitingPerAddressLimit;
    }

    /** Connections (or requests) refused or closed for {@code reason} since start. */
    public long refusedCount(Refusal reason) {
        return refused.get(reason).sum();
    }

    /**
     * Why the instance is degraded, or null when it is not: it holds so many connections that only the reserve is
     * left, or it refused connections at its limit within the last minute.
     */
    public String degradedReason() {
        int now = open.get();
        if (reserve > 0 && now > limit - reserve) {
            return now + " of " + limit + " TCP connections open: only the reserve for status and health is left";
        }
        long last = lastRefusedAtTotal.get();
        if (last != Long.MIN_VALUE && nanoTime.getAsLong() - last < DEGRADED_AFTER_REFUSAL.toNanos()) {
            return "connections were refused at the limit of " + limit + " TCP connections within the last minute";
        }
        return null;
    }
}
