package dev.ssebridge.bridge.admission;

import dev.ssebridge.bridge.problem.Problems;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;

/**
 * Watches an HTTP/1.1 connection's requests between Netty's HTTP codec and Reactor Netty's request handling: when a
 * request's headers are complete (the header deadline stops) and when its response ends (it starts again for the
 * next request). It also answers what Reactor Netty would answer with an empty body: a request line or headers the
 * codec refused as too long, or as not HTTP ({@code 414}, {@code 431}, {@code 400}), as problem+json naming the
 * limit; and, on a connection taken into the reserve, anything but status and health with {@code 503}.
 *
 * <p>Threads: the connection's event loop.
 */
final class RequestHeadWatcher extends ChannelDuplexHandler {

    static final String NAME = "ssebridge.requestHeadWatcher";

    private final AcceptedConnection connection;
    private final TcpConnections connections;
    private final RequestLimits limits;

    RequestHeadWatcher(AcceptedConnection connection, TcpConnections connections, RequestLimits limits) {
        this.connection = connection;
        this.connections = connections;
        this.limits = limits;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest request) {
            if (request.decoderResult().isFailure()) {
                TcpConnections.Refusal refusal = RequestLimits.refusalFor(request.decoderResult().cause());
                ReferenceCountUtil.release(msg);
                refuse(ctx, limits.problemFor(refusal), refusal);
                return;
            }
            if (connection.reserveOnly() && !limits.isReserved(request.uri())) {
                ReferenceCountUtil.release(msg);
                refuse(ctx, limits.atCapacity(connections.limit()), TcpConnections.Refusal.RESERVE);
                return;
            }
            connection.requestHead();
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        boolean ended = msg instanceof LastHttpContent;
        ctx.write(msg, promise);
        if (ended) {
            connection.responseEnded();
        }
    }

    /** Answers {@code problem} and closes the connection (the codec has given up on what follows). */
    private void refuse(ChannelHandlerContext ctx, ProblemDetail problem, TcpConnections.Refusal reason) {
        connections.refused(reason);
        byte[] body = Problems.json(problem, null);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(problem.getStatus()), Unpooled.wrappedBuffer(body));
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, "application/problem+json")
                .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length)
                .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        if (problem.getStatus() == HttpStatus.SERVICE_UNAVAILABLE.value()) {
            response.headers().set(HttpHeaderNames.RETRY_AFTER, RequestLimits.RETRY_AFTER_SECONDS);
        }
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }
}
