package dev.ssebridge.bridge.admission;

import java.net.InetSocketAddress;
import org.springframework.http.server.reactive.ServerHttpRequest;

/**
 * The address a request counts against. The socket's peer, unless a trusted reverse proxy is configured
 * to name the client in a header: then the last entry of that header, the one the proxy itself added
 * (entries before it were written by whoever sent the request, and prove nothing).
 */
public final class ClientAddresses {

    private final String header;

    /** @param header e.g. {@code X-Forwarded-For}; null to use the socket's peer address */
    public ClientAddresses(String header) {
        this.header = header;
    }

    String of(ServerHttpRequest request) {
        return of(header == null ? null : request.getHeaders().getFirst(header), request.getRemoteAddress());
    }

    /** The header to read the address from, or null for the peer's. */
    public String header() {
        return header;
    }

    /**
     * @param headerValue the configured header's value in the request, or null
     * @param remote      the socket's peer
     */
    public String of(String headerValue, InetSocketAddress remote) {
        if (header != null) {
            if (headerValue != null) {
                String last = headerValue.substring(headerValue.lastIndexOf(',') + 1).trim();
                if (!last.isEmpty() && last.length() <= 64) {
                    return last;
                }
            }
        }
        return remote == null || remote.getAddress() == null ? "unknown" : remote.getAddress().getHostAddress();
    }
}
