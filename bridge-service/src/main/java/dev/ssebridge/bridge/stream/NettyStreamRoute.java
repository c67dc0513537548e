package dev.ssebridge.bridge.stream;

import dev.ssebridge.bridge.admission.AdmissionControl;
import dev.ssebridge.bridge.request.StreamChannels;
import dev.ssebridge.bridge.request.StreamRequest;
import dev.ssebridge.bridge.request.StreamTarget;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.cookie.Cookie;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.reactivestreams.Publisher;
import org.springframework.boot.reactor.netty.NettyRouteProvider;
import org.springframework.http.server.reactive.ReactorHttpHandlerAdapter;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.util.MultiValueMap;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.http.server.HttpServerRoutes;

/**
 * Serves SSE streams on a Reactor Netty route of their own, below WebFlux. A stream lives for hours, and
 * everything on its request path lives as long: through WebFlux that is the exchange, its attributes and
 * headers, and every filter's operators (26 KB of heap per idle connection in the idle benchmark); here it
 * is the connection and its stream (8.5 KB).
 *
 * <p>The route serves only what it can show WebFlux would serve the same way: a request within the query
 * limits, admitted, allowed by CORS, authenticated by its one token, for granted channels, with a valid
 * start. Any other request (every error, a doubt, a refusal) is handed unchanged to the WebFlux handler,
 * whose filters and controller answer it as before: problem responses, challenges and their metrics stay
 * in one place. Both paths open the stream with the same {@link StreamOpener}. Where the route copies a
 * framework rule (query parsing, the one-token rule, the security headers), a contract test holds the copy to
 * the framework: StreamGateQueryTest, TokenRuleContractTest, SecurityHeadersContractIT.
 */
final class NettyStreamRoute implements NettyRouteProvider {

    /** A path segment as channel and route names are: plain, nothing to decode, so the raw URI says it all. */
    private static final Pattern PLAIN_SEGMENT = Pattern.compile("[a-z0-9_-]{1,64}");
    /** A route's value as the route serves it: characters that need no decoding (others: WebFlux decides). */
    private static final Pattern PLAIN_VALUE = Pattern.compile("[A-Za-z0-9._:@+=-]{1,256}");

    private final StreamOpener opener;
    private final StreamGate gate;
    private final Supplier<ReactorHttpHandlerAdapter> webflux;
    private final MeterRegistry meters;
    private final Counter served;
    private final Counter chunked;
    private final Map<String, Counter> handedOver = new ConcurrentHashMap<>();
    private final StreamCompression compression;
    private final SharedChunks chunks = new SharedChunks();

    /**
     * @param webflux the WebFlux handler, asked for on first use (it is built after the web server)
     */
    NettyStreamRoute(StreamOpener opener, StreamGate gate, Supplier<ReactorHttpHandlerAdapter> webflux,
                     MeterRegistry meters, StreamCompression compression) {
        this.compression = compression;
        this.opener = opener;
        this.gate = gate;
        this.webflux = webflux;
        this.meters = meters;
        this.served = StreamOpener.servedCounter(meters, "route");
        this.chunked = Counter.builder("ssebridge.streams.chunked")
                .description("Streams the route wrote as its own HTTP/1.1 chunks (the others: Reactor Netty's send)")
                .register(meters);
    }

    @Override
    public HttpServerRoutes apply(HttpServerRoutes routes) {
        return routes.route(NettyStreamRoute::isStream, this::serve);
    }

    private static boolean isStream(HttpServerRequest request) {
        return request.method() == HttpMethod.GET && segments(request.uri()) != null;
    }

    /** The stream segments of a raw URI ({@link StreamPaths}), or null when it is not a plain stream path. */
    private static List<String> segments(String uri) {
        int query = uri.indexOf('?');
        List<String> segments = StreamPaths.segments(query < 0 ? uri : uri.substring(0, query));
        if (segments == null || !PLAIN_SEGMENT.matcher(segments.get(0)).matches()) {
            return null;
        }
        return segments.size() == 1 || PLAIN_VALUE.matcher(segments.get(1)).matches() ? segments : null;
    }

    private Publisher<Void> serve(HttpServerRequest request, HttpServerResponse response) {
        String uri = request.uri();
        List<String> segments = segments(uri); // not null: the route's predicate matched
        MultiValueMap<String, String> query = StreamGate.query(uri);
        if (query == null || gate.checkQuery(query) != null) {
            return handOver("query", request, response);
        }
        StreamTarget stream;
        StreamRequest streamRequest;
        try {
            stream = opener.targetOf(segments, query.get(StreamChannels.PARAMETER));
            streamRequest = StreamRequest.of(query, request.requestHeaders().get(StreamRequest.LAST_EVENT_ID_HEADER));
        } catch (RuntimeException e) {
            return handOver("request", request, response);
        }
        List<Map.Entry<String, String>> headers = gate.securityHeaders(request.requestHeaders().get("Origin"),
                request.scheme(), request.hostName(), request.hostPort());
        if (headers == null) {
            return handOver("cors", request, response);
        }
        // From here on the request's admission is decided; handed over, it carries the decision to WebFlux.
        AdmissionControl.Decision decision = gate.admit(request);
        if (decision.permit() == null) {
            return handOver("admission", request, response);
        }
        Mono<Optional<Flux<byte[]>>> opened = gate.authenticate(
                        request.requestHeaders().get("Authorization"), query.get("access_token"),
                        name -> cookie(request, name))
                .flatMap(context -> open(stream, streamRequest, response, context))
                .map(Optional::of)
                // Any failure before the first frame (a token that does not decode, a channel not granted, a
                // start that cannot be resolved): WebFlux decides again, and answers.
                .onErrorResume(e -> Mono.just(Optional.empty()))
                .defaultIfEmpty(Optional.empty())
                // The client left while its token or start was being checked.
                .doOnCancel(() -> decision.permit().close());
        return opened.flatMap(frames -> {
            if (frames.isEmpty()) {
                return Mono.from(handOver("refused", request, response));
            }
            StreamGate.served(request);
            return write(response, headers, request.requestHeaders().get("Accept-Encoding"), frames.get(),
                    decision.permit());
        });
    }

    private Mono<Flux<byte[]>> open(StreamTarget stream, StreamRequest request, HttpServerResponse response,
                                    SecurityContext context) {
        return Mono.defer(() -> opener.open(stream, request, response))
                .contextWrite(ReactiveSecurityContextHolder.withSecurityContext(Mono.just(context)));
    }

    private Mono<Void> write(HttpServerResponse response, List<Map.Entry<String, String>> headers,
                             String acceptEncoding, Flux<byte[]> frames, AdmissionControl.Permit permit) {
        headers.forEach(h -> response.addHeader(h.getKey(), h.getValue()));
        StreamOpener.streamHeaders(response::header);
        served.increment();
        Flux<byte[]> wire = compression.apply(acceptEncoding, response::addHeader, frames);
        return ChunkWriter.write(response, wire, chunks, chunked::increment).doFinally(signal -> permit.close());
    }

    private Publisher<Void> handOver(String reason, HttpServerRequest request, HttpServerResponse response) {
        handedOver.computeIfAbsent(reason, r -> Counter.builder("ssebridge.streams.handed.over").tag("reason", r)
                .description("Stream requests the Netty route left to WebFlux (errors, refusals, doubts)")
                .register(meters)).increment();
        return webflux.get().apply(request, response);
    }

    private static String cookie(HttpServerRequest request, String name) {
        Set<Cookie> cookies = request.cookies().get(name);
        return cookies == null || cookies.isEmpty() ? null : cookies.iterator().next().value();
    }
}
