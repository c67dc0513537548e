package dev.ssebridge.bridge.stream;

import dev.ssebridge.bridge.apidoc.ApiDocs;
import dev.ssebridge.bridge.channel.Channel;
import dev.ssebridge.bridge.request.StreamChannels;
import dev.ssebridge.bridge.request.StreamRequest;
import dev.ssebridge.bridge.request.StreamRoutes;
import dev.ssebridge.bridge.request.StreamTarget;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import org.springframework.core.io.buffer.DataBufferFactory;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.http.server.reactive.ServerHttpResponseDecorator;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.NettyOutbound;

/**
 * {@code GET /api/v1/sse/{channel}}, the seed's per-channel streams, and {@code GET /api/v1/sse/stream},
 * several channels on one connection, served through WebFlux. Most streams never get here: the
 * {@link NettyStreamRoute} serves them below WebFlux and hands this controller the requests it does not
 * serve itself: every error response comes from here and the WebFlux filters, and a stream the route left
 * to WebFlux in a doubt (a channel that became ready meanwhile) is served here as well. Its annotations are
 * also the streams' OpenAPI description.
 * Frames are written as the bytes the tail encoded once, not handed to Spring's SSE encoder, which would
 * re-encode them per connection.
 */
@Tag(name = "streams", description = "Server-Sent Event streams")
@RestController
@RequestMapping("/api/v1/sse")
class SseController {

    private final StreamOpener opener;
    private final Counter served;
    private final StreamCompression compression;

    SseController(StreamOpener opener, MeterRegistry meters, StreamCompression compression) {
        this.opener = opener;
        this.compression = compression;
        this.served = StreamOpener.servedCounter(meters, "webflux");
    }

    @Operation(summary = "Stream one channel",
            description = "One configured channel (the `channel` parameter lists them; the seed's are training, "
                    + "backtest, alerts and dashboard). Each channel with a key parameter filters by its Kafka key "
                    + "through it.")
    @ApiResponse(responseCode = "200", description = ApiDocs.STREAM_EVENTS, content = @Content(
            mediaType = MediaType.TEXT_EVENT_STREAM_VALUE, schema = @Schema(ref = "#/components/schemas/sse_envelope")))
    @ApiResponse(responseCode = "400", description = ApiDocs.BAD_REQUEST, content = @Content(
            mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE, schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "503", description = ApiDocs.UNAVAILABLE, content = @Content(
            mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE, schema = @Schema(implementation = ProblemDetail.class)))
    @Parameter(name = "key", in = ParameterIn.QUERY, description = ApiDocs.KEY)
    @Parameter(name = "min_severity", in = ParameterIn.QUERY, description = ApiDocs.MIN_SEVERITY,
            schema = @Schema(allowableValues = {"low", "medium", "high", "critical"}))
    @Parameter(name = "where", in = ParameterIn.QUERY, description = ApiDocs.WHERE)
    @Parameter(name = "snapshot", in = ParameterIn.QUERY, description = ApiDocs.SNAPSHOT,
            schema = @Schema(type = "boolean"))
    @Parameter(name = "max_rate", in = ParameterIn.QUERY, description = ApiDocs.MAX_RATE,
            schema = @Schema(type = "number", minimum = "0", exclusiveMinimum = true, maximum = "100"))
    @ApiResponse(responseCode = "404", description = ApiDocs.NOT_FOUND, content = @Content(
            mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE, schema = @Schema(implementation = ProblemDetail.class)))
    @GetMapping(path = "/{channel}", produces = {MediaType.TEXT_EVENT_STREAM_VALUE, MediaType.ALL_VALUE})
    Mono<Void> stream(@Parameter(description = "Channel name") @PathVariable("channel") String channelName,
                      @Parameter(description = ApiDocs.CLIENT_ID)
                      @RequestParam(name = StreamRequest.CLIENT_ID, required = false) String clientId,
                      @Parameter(description = ApiDocs.LAST_EVENT_ID_HEADER)
                      @RequestHeader(name = StreamRequest.LAST_EVENT_ID_HEADER, required = false) String lastEventIdHeader,
                      @Parameter(description = ApiDocs.LAST_EVENT_ID)
                      @RequestParam(name = StreamRequest.LAST_EVENT_ID, required = false) String lastEventId,
                      @Parameter(description = ApiDocs.SINCE)
                      @RequestParam(name = StreamRequest.SINCE, required = false) String since,
                      @Parameter(description = ApiDocs.FROM, schema = @Schema(allowableValues = {"earliest", "latest"}))
                      @RequestParam(name = StreamRequest.FROM, required = false) String from,
                      @Parameter(hidden = true) @RequestParam MultiValueMap<String, String> query,
                      @Parameter(hidden = true) @RequestHeader(name = "Accept-Encoding", required = false) String acceptEncoding,
                      ServerHttpResponse response) {
        return open(opener.targetOf(List.of(channelName), null),
                new StreamRequest(clientId, lastEventIdHeader, lastEventId, since, from, query), acceptEncoding, response);
    }

    @Operation(summary = "Stream several channels on one connection",
            description = "Each event keeps its channel's event name; one cursor covers every partition of every "
                    + "channel of the stream. Browsers allow 6 HTTP/1.1 connections per origin: one multiplexed "
                    + "stream avoids running out.")
    @ApiResponse(responseCode = "200", description = ApiDocs.STREAM_EVENTS, content = @Content(
            mediaType = MediaType.TEXT_EVENT_STREAM_VALUE, schema = @Schema(ref = "#/components/schemas/sse_envelope")))
    @ApiResponse(responseCode = "400", description = ApiDocs.BAD_REQUEST, content = @Content(
            mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE, schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "503", description = ApiDocs.UNAVAILABLE, content = @Content(
            mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE, schema = @Schema(implementation = ProblemDetail.class)))
    @Parameter(name = "key", in = ParameterIn.QUERY, description = ApiDocs.KEY)
    @Parameter(name = "min_severity", in = ParameterIn.QUERY, description = ApiDocs.MIN_SEVERITY,
            schema = @Schema(allowableValues = {"low", "medium", "high", "critical"}))
    @Parameter(name = "where", in = ParameterIn.QUERY, description = ApiDocs.WHERE)
    @Parameter(name = "snapshot", in = ParameterIn.QUERY, description = ApiDocs.SNAPSHOT,
            schema = @Schema(type = "boolean"))
    @Parameter(name = "max_rate", in = ParameterIn.QUERY, description = ApiDocs.MAX_RATE,
            schema = @Schema(type = "number", minimum = "0", exclusiveMinimum = true, maximum = "100"))
    @GetMapping(path = "/stream", produces = {MediaType.TEXT_EVENT_STREAM_VALUE, MediaType.ALL_VALUE})
    Mono<Void> multiplexed(@Parameter(description = "Channels of the stream, comma-separated or repeated, each once",
                                   required = true)
                           @RequestParam(name = StreamChannels.PARAMETER, required = false) List<String> channelNames,
                           @Parameter(description = ApiDocs.CLIENT_ID)
                           @RequestParam(name = StreamRequest.CLIENT_ID, required = false) String clientId,
                           @Parameter(description = ApiDocs.LAST_EVENT_ID_HEADER)
                           @RequestHeader(name = StreamRequest.LAST_EVENT_ID_HEADER, required = false) String lastEventIdHeader,
                           @Parameter(description = ApiDocs.LAST_EVENT_ID)
                           @RequestParam(name = StreamRequest.LAST_EVENT_ID, required = false) String lastEventId,
                           @Parameter(description = ApiDocs.SINCE)
                           @RequestParam(name = StreamRequest.SINCE, required = false) String since,
                           @Parameter(description = ApiDocs.FROM, schema = @Schema(allowableValues = {"earliest", "latest"}))
                           @RequestParam(name = StreamRequest.FROM, required = false) String from,
                           @Parameter(hidden = true) @RequestParam MultiValueMap<String, String> query,
                           @Parameter(hidden = true) @RequestHeader(name = "Accept-Encoding", required = false) String acceptEncoding,
                           ServerHttpResponse response) {
        return open(opener.targetOf(List.of(StreamRoutes.MULTIPLEXED), channelNames),
                new StreamRequest(clientId, lastEventIdHeader, lastEventId, since, from, query), acceptEncoding, response);
    }

    @Operation(summary = "Stream a route or a topic of a family: one channel addressed by a path parameter",
            description = "A configured route (bridge.routes.<route>) streams its channel with the path's value as a "
                    + "path parameter, which record policies read as params.<parameter>, and, for a key route, as the "
                    + "only Kafka key streamed: e.g. /api/v1/sse/portfolios/portfolio-001. A family of topics "
                    + "(bridge.families.<family>) streams the topic the value names, e.g. /api/v1/sse/backtests/momentum "
                    + "for the topic backtests.momentum, if its allow-list takes the value and the topic exists (404 "
                    + "otherwise, the same either way); 503 with Retry-After when the family reads as many topics as "
                    + "it may.")
    @ApiResponse(responseCode = "200", description = ApiDocs.STREAM_EVENTS, content = @Content(
            mediaType = MediaType.TEXT_EVENT_STREAM_VALUE, schema = @Schema(ref = "#/components/schemas/sse_envelope")))
    @ApiResponse(responseCode = "400", description = ApiDocs.BAD_REQUEST, content = @Content(
            mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE, schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "404", description = ApiDocs.NOT_FOUND, content = @Content(
            mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE, schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "503", description = ApiDocs.UNAVAILABLE, content = @Content(
            mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE, schema = @Schema(implementation = ProblemDetail.class)))
    @Parameter(name = "where", in = ParameterIn.QUERY, description = ApiDocs.WHERE)
    @Parameter(name = "snapshot", in = ParameterIn.QUERY, description = ApiDocs.SNAPSHOT,
            schema = @Schema(type = "boolean"))
    @GetMapping(path = "/{route}/{value}", produces = {MediaType.TEXT_EVENT_STREAM_VALUE, MediaType.ALL_VALUE})
    Mono<Void> routed(@Parameter(description = "Route or family name") @PathVariable("route") String route,
                      @Parameter(description = "The route's or family's path parameter") @PathVariable("value") String value,
                      @Parameter(description = ApiDocs.CLIENT_ID)
                      @RequestParam(name = StreamRequest.CLIENT_ID, required = false) String clientId,
                      @Parameter(description = ApiDocs.LAST_EVENT_ID_HEADER)
                      @RequestHeader(name = StreamRequest.LAST_EVENT_ID_HEADER, required = false) String lastEventIdHeader,
                      @Parameter(description = ApiDocs.LAST_EVENT_ID)
                      @RequestParam(name = StreamRequest.LAST_EVENT_ID, required = false) String lastEventId,
                      @Parameter(description = ApiDocs.SINCE)
                      @RequestParam(name = StreamRequest.SINCE, required = false) String since,
                      @Parameter(description = ApiDocs.FROM, schema = @Schema(allowableValues = {"earliest", "latest"}))
                      @RequestParam(name = StreamRequest.FROM, required = false) String from,
                      @Parameter(hidden = true) @RequestParam MultiValueMap<String, String> query,
                      @Parameter(hidden = true) @RequestHeader(name = "Accept-Encoding", required = false) String acceptEncoding,
                      ServerHttpResponse response) {
        return open(opener.targetOf(List.of(route, value), null),
                new StreamRequest(clientId, lastEventIdHeader, lastEventId, since, from, query), acceptEncoding, response);
    }

    private Mono<Void> open(StreamTarget stream, StreamRequest request, String acceptEncoding,
                            ServerHttpResponse response) {
        NettyOutbound netty = ServerHttpResponseDecorator.getNativeResponse(response) instanceof NettyOutbound outbound
                ? outbound : null;
        return opener.open(stream, request, netty)
                .flatMap(frames -> write(response, compression.apply(acceptEncoding, response.getHeaders()::add, frames)));
    }

    private Mono<Void> write(ServerHttpResponse response, Flux<byte[]> frames) {
        StreamOpener.streamHeaders(response.getHeaders()::set);
        served.increment();
        DataBufferFactory buffers = response.bufferFactory();
        return response.writeWith(frames.map(buffers::wrap));
    }
}
