package dev.ssebridge.bridge.stream;

import dev.ssebridge.bridge.channel.Channel;
import dev.ssebridge.bridge.channel.Channels;
import java.util.List;
import org.springframework.core.io.buffer.DataBufferFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * {@code GET /api/v1/sse/{channel}}: the seed's per-channel streams. Frames are written as the bytes the
 * tail encoded once, not handed to Spring's SSE encoder, which would re-encode them per connection.
 */
@RestController
@RequestMapping("/api/v1/sse")
class SseController {

    private final Channels channels;
    private final ConnectionStreams streams;
    private final ConnectionRegistry registry;

    SseController(Channels channels, ConnectionStreams streams, ConnectionRegistry registry) {
        this.channels = channels;
        this.streams = streams;
        this.registry = registry;
    }

    @GetMapping("/{channel}")
    Mono<Void> stream(@PathVariable("channel") String channelName,
                      @RequestParam(name = "client_id", required = false) String clientId,
                      ServerHttpResponse response) {
        Channel channel = channels.require(channelName);
        String id = ClientIds.resolve(clientId);
        if (registry.isClosing()) {
            throw new ShuttingDownException();
        }
        HttpHeaders headers = response.getHeaders();
        headers.setContentType(MediaType.TEXT_EVENT_STREAM);
        headers.setCacheControl("no-cache");
        headers.set("X-Accel-Buffering", "no");
        DataBufferFactory buffers = response.bufferFactory();
        return response.writeWith(streams.open(List.of(channel), id).map(buffers::wrap));
    }
}
