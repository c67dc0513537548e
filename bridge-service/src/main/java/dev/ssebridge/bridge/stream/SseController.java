package dev.ssebridge.bridge.stream;

import dev.ssebridge.bridge.channel.Channel;
import dev.ssebridge.bridge.channel.Channels;
import dev.ssebridge.bridge.config.BridgeProperties;
import dev.ssebridge.bridge.cursor.CursorCodec;
import dev.ssebridge.bridge.replay.StartRequest;
import java.time.Clock;
import java.util.List;
import org.springframework.core.io.buffer.DataBufferFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * {@code GET /api/v1/sse/{channel}}, the seed's per-channel streams, and {@code GET /api/v1/sse/stream},
 * several channels on one connection. Frames are written as the bytes the
 * tail encoded once, not handed to Spring's SSE encoder, which would re-encode them per connection.
 */
@RestController
@RequestMapping("/api/v1/sse")
class SseController {

    private final Channels channels;
    private final ConnectionStreams streams;
    private final ConnectionRegistry registry;
    private final StartRequests startRequests;
    private final FilterRequests filters;
    private final StreamChannels streamChannels;

    SseController(Channels channels, ConnectionStreams streams, ConnectionRegistry registry, CursorCodec codec,
                  Clock clock, BridgeProperties properties) {
        this.channels = channels;
        this.streams = streams;
        this.registry = registry;
        this.startRequests = new StartRequests(codec, clock);
        this.filters = new FilterRequests(channels);
        this.streamChannels = new StreamChannels(channels, properties.stream().maxChannels());
    }

    @GetMapping("/{channel}")
    Mono<Void> stream(@PathVariable("channel") String channelName,
                      @RequestParam(name = "client_id", required = false) String clientId,
                      @RequestHeader(name = "Last-Event-ID", required = false) String lastEventIdHeader,
                      @RequestParam(name = "last_event_id", required = false) String lastEventId,
                      @RequestParam(name = "since", required = false) String since,
                      @RequestParam(name = "from", required = false) String from,
                      @RequestParam MultiValueMap<String, String> query,
                      ServerHttpResponse response) {
        Channel channel = channels.require(channelName);
        return open(List.of(channel), clientId, lastEventIdHeader, lastEventId, since, from, query, response);
    }

    @GetMapping("/stream")
    Mono<Void> multiplexed(@RequestParam(name = "channels", required = false) List<String> channelNames,
                           @RequestParam(name = "client_id", required = false) String clientId,
                           @RequestHeader(name = "Last-Event-ID", required = false) String lastEventIdHeader,
                           @RequestParam(name = "last_event_id", required = false) String lastEventId,
                           @RequestParam(name = "since", required = false) String since,
                           @RequestParam(name = "from", required = false) String from,
                           @RequestParam MultiValueMap<String, String> query,
                           ServerHttpResponse response) {
        List<Channel> stream = streamChannels.parse(channelNames);
        return open(stream, clientId, lastEventIdHeader, lastEventId, since, from, query, response);
    }

    private Mono<Void> open(List<Channel> stream, String clientId, String lastEventIdHeader, String lastEventId,
                            String since, String from, MultiValueMap<String, String> query,
                            ServerHttpResponse response) {
        String id = ClientIds.resolve(clientId);
        StartRequest start = startRequests.parse(lastEventIdHeader, lastEventId, since, from);
        StreamFilter filter = filters.parse(stream, query);
        if (registry.isClosing()) {
            throw new ShuttingDownException();
        }
        return streams.open(stream, id, start, filter).flatMap(frames -> write(response, frames));
    }

    private static Mono<Void> write(ServerHttpResponse response, Flux<byte[]> frames) {
        HttpHeaders headers = response.getHeaders();
        headers.setContentType(MediaType.TEXT_EVENT_STREAM);
        headers.setCacheControl("no-cache");
        headers.set("X-Accel-Buffering", "no");
        DataBufferFactory buffers = response.bufferFactory();
        return response.writeWith(frames.map(buffers::wrap));
    }
}
