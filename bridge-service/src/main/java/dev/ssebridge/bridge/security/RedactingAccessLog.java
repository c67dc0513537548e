package dev.ssebridge.bridge.security;

import java.util.regex.Pattern;
import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.logging.AccessLog;
import reactor.netty.http.server.logging.AccessLogArgProvider;

/**
 * Reactor Netty's access log in its usual format, with the value of {@code access_token} replaced: an
 * EventSource token travels in the URL, and a URL in a log file is a credential leak. Installed whether
 * or not the log is on, so that turning it on with Reactor Netty's system property is redacted too.
 */
public final class RedactingAccessLog implements NettyServerCustomizer {

    private static final Pattern TOKEN = Pattern.compile("((?:^|[?&])access_token=)[^&]*", Pattern.CASE_INSENSITIVE);
    private static final String FORMAT = "{} - {} [{}] \"{} {} {}\" {} {} {}";

    private final boolean enabled;

    RedactingAccessLog(boolean enabled) {
        this.enabled = enabled;
    }

    @Override
    public HttpServer apply(HttpServer server) {
        return server.accessLog(enabled || Boolean.getBoolean("reactor.netty.http.server.accessLogEnabled"),
                RedactingAccessLog::entry);
    }

    private static AccessLog entry(AccessLogArgProvider args) {
        return AccessLog.create(FORMAT, host(args.remoteAddress()),
                args.user() == null ? "-" : args.user(), args.accessDateTime(), args.method(), redact(args.uri()),
                args.protocol(), args.status(), args.contentLength() < 0 ? "-" : args.contentLength(),
                args.duration() + "ms");
    }

    private static String host(java.net.SocketAddress address) {
        return address instanceof java.net.InetSocketAddress inet ? inet.getHostString() : "-";
    }

    static String redact(CharSequence uri) {
        return uri == null ? "-" : TOKEN.matcher(uri).replaceAll("$1[redacted]");
    }
}
