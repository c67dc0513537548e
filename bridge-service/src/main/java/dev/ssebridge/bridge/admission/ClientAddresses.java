package dev.ssebridge.bridge.admission;

import java.net.InetSocketAddress;
import java.util.function.Function;
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

    public String of(ServerHttpRequest request) {
        return of(request.getHeaders()::getFirst, request.getRemoteAddress());
    }

    /**
     * @param headers the request's headers: a header's first value by name, or null
     * @param remote  the socket's peer
     */
    public String of(Function<String, String> headers, InetSocketAddress remote) {
        if (header != null) {
            String headerValue = headers.apply(header);
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
