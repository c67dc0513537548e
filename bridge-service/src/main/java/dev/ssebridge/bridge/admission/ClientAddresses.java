package dev.ssebridge.bridge.admission;

import java.net.InetSocketAddress;
import org.springframework.http.server.reactive.ServerHttpRequest;

/**
 * The address a request counts against. The socket's peer, unless a trusted reverse proxy is configured
 * to name the client in a header: then the last entry of that header, the one the proxy itself added
 * (entries before it were written by whoever sent the request, and prove nothing).
 */
final class ClientAddresses {

    private final String header;

    /** @param header e.g. {@code X-Forwarded-For}; null to use the socket's peer address */
    ClientAddresses(String header) {
        this.header = header;
    }

    String of(ServerHttpRequest request) {
        if (header != null) {
            String value = request.getHeaders().getFirst(header);
            if (value != null) {
                String last = value.substring(value.lastIndexOf(',') + 1).trim();
                if (!last.isEmpty() && last.length() <= 64) {
                    return last;
                }
            }
        }
        InetSocketAddress remote = request.getRemoteAddress();
        return remote == null || remote.getAddress() == null ? "unknown" : remote.getAddress().getHostAddress();
    }
}
