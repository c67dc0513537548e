package dev.ssebridge.bridge.stream;

import io.netty.channel.ChannelOption;
import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import reactor.netty.http.server.HttpServer;

/**
 * A deep accept queue. After a restart thousands of EventSources reconnect within the same two or three
 * seconds; with Netty's small default backlog the kernel drops their SYNs and each waits out a
 * retransmission (1 s, 3 s, 7 s...) before it even reaches admission control. The kernel caps the value
 * at {@code net.core.somaxconn} ({@code bridge.stream.accept-backlog}, 4096 by default).
 */
final class AcceptBacklog implements NettyServerCustomizer {

    private final int backlog;

    AcceptBacklog(int backlog) {
        this.backlog = backlog;
    }

    @Override
    public HttpServer apply(HttpServer server) {
        return server.option(ChannelOption.SO_BACKLOG, backlog);
    }
}
