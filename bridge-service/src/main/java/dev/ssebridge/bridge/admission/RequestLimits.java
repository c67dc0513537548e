package dev.ssebridge.bridge.admission;

import dev.ssebridge.bridge.problem.Problems;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;

/**
 * The limits of the HTTP codec, as the problems that name them, and which requests a connection taken into the
 * reserve may make (status and health: what an operator and a load balancer need from an instance at its limit).
 *
 * @param maxInitialLineLength {@code server.netty.max-initial-line-length}, in bytes
 * @param maxHeaderSize        {@code server.max-http-request-header-size}, in bytes
 * @param actuatorBasePath     where health lives ({@code management.endpoints.web.base-path})
 */
record RequestLimits(long maxInitialLineLength, long maxHeaderSize, String actuatorBasePath) {

    static final String STATUS_PATH = "/api/v1/sse/status";
    static final int RETRY_AFTER_SECONDS = 5;

    /** Why the codec refused a request: a line too long, headers too large, or not HTTP at all. */
    static TcpConnections.Refusal refusalFor(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof TooLongHttpLineException) {
                return TcpConnections.Refusal.REQUEST_LINE_TOO_LONG;
            }
            if (t instanceof TooLongHttpHeaderException) {
                return TcpConnections.Refusal.HEADERS_TOO_LARGE;
            }
        }
        return TcpConnections.Refusal.MALFORMED_REQUEST;
    }

    /** The problem for a request the codec refused, naming the limit it passed. */
    ProblemDetail problemFor(TcpConnections.Refusal refusal) {
        if (refusal == TcpConnections.Refusal.REQUEST_LINE_TOO_LONG) {
            ProblemDetail problem = Problems.problem(HttpStatus.URI_TOO_LONG, "request-line-too-long",
                    "Request line too long", "The request line (method, path and query) is longer than "
                            + maxInitialLineLength + " bytes, the server's limit (server.netty.max-initial-line-length)."
                            + " Shorten the query: fewer channels or filter values, a shorter where expression; or "
                            + "send the cursor in the Last-Event-ID header.");
            problem.setProperty("limit", "server.netty.max-initial-line-length");
            problem.setProperty("max_bytes", maxInitialLineLength);
            return problem;
        }
        if (refusal == TcpConnections.Refusal.HEADERS_TOO_LARGE) {
            ProblemDetail problem = Problems.problem(HttpStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, "headers-too-large",
                    "Request headers too large", "The request's headers (cookies and Last-Event-ID included) are larger "
                            + "than " + maxHeaderSize + " bytes, the server's limit "
                            + "(server.max-http-request-header-size).");
            problem.setProperty("limit", "server.max-http-request-header-size");
            problem.setProperty("max_bytes", maxHeaderSize);
            return problem;
        }
        return Problems.problem(HttpStatus.BAD_REQUEST, "malformed-request", "Malformed request",
                "The request is not well-formed HTTP/1.1: its request line or a header line could not be read "
                        + "(a header line without a colon, a control character, a bad method or version).");
    }

    /** The answer to a request on a connection taken into the reserve, for anything but status and health. */
    ProblemDetail atCapacity(int limit) {
        ProblemDetail problem = Problems.problem(HttpStatus.SERVICE_UNAVAILABLE, "at-capacity", "At capacity",
                "This instance holds as many TCP connections as it can (" + limit + "); it answers status and health "
                        + "only. Retry in " + RETRY_AFTER_SECONDS + " s, or on another instance.");
        problem.setProperty("limit", "bridge.admission.max-tcp-connections");
        return problem;
    }

    /** Whether a request to {@code uri} may use the reserve. */
    boolean isReserved(String uri) {
        int query = uri.indexOf('?');
        String path = query < 0 ? uri : uri.substring(0, query);
        String health = actuatorBasePath + "/health";
        return path.equals(STATUS_PATH) || path.equals(health) || path.startsWith(health + "/");
    }
}
