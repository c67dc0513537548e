package dev.ssebridge.bridge.stream;

import dev.ssebridge.bridge.channel.Channel;
import dev.ssebridge.bridge.channel.Channels;
import dev.ssebridge.bridge.config.BridgeProperties;
import dev.ssebridge.bridge.cursor.CursorCodec;
import dev.ssebridge.bridge.hub.ChannelHubs;
import dev.ssebridge.bridge.kafka.KafkaReplayReader;
import dev.ssebridge.bridge.replay.StartResolver;
import java.io.ByteArrayOutputStream;
import java.time.Clock;
import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.json.JsonFactory;

/**
 * {@code GET /api/v1/sse/history/{channel}}: recent events as JSON, for pages that render history first
 * and then go live from the answer's {@code cursor}.
 */
@RestController
class HistoryController {

    static final int DEFAULT_LIMIT = 100;
    private static final JsonFactory JSON = new JsonFactory();

    private final Channels channels;
    private final History history;
    private final StartRequests startRequests;
    private final FilterRequests filters;
    private final int maxLimit;

    HistoryController(Channels channels, ChannelHubs hubs, StartResolver starts, KafkaReplayReader kafka,
                      CursorCodec codec, Clock clock, BridgeProperties properties) {
        this.channels = channels;
        this.history = new History(hubs, starts, kafka, codec);
        this.startRequests = new StartRequests(codec, clock);
        this.filters = new FilterRequests(channels);
        this.maxLimit = properties.history().maxLimit();
    }

    @GetMapping("/api/v1/sse/history/{channel}")
    Mono<ResponseEntity<byte[]>> history(@PathVariable("channel") String channelName,
                                         @RequestParam(name = "since", required = false) String since,
                                         @RequestParam(name = "limit", required = false) String limit,
                                         @RequestParam MultiValueMap<String, String> query) {
        Channel channel = channels.require(channelName);
        int max = parseLimit(limit);
        StreamFilter filter = filters.parse(List.of(channel), query);
        var start = since == null || since.isBlank() ? null : startRequests.parse(null, null, since, null).since();
        return history.query(channel, start, max, filter)
                .map(answer -> ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(render(channel, answer)));
    }

    private int parseLimit(String limit) {
        if (limit == null || limit.isBlank()) {
            return Math.min(DEFAULT_LIMIT, maxLimit);
        }
        try {
            int value = Integer.parseInt(limit.strip());
            if (value >= 1 && value <= maxLimit) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new InvalidParameterException("limit", "limit must be a whole number from 1 to " + maxLimit);
    }

    /** The events are JSON the bridge wrote itself; they are embedded as they are. */
    private static byte[] render(Channel channel, History.Answer answer) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator json = JSON.createGenerator(ObjectWriteContext.empty(), out)) {
            json.writeStartObject();
            json.writeStringProperty("channel", channel.name());
            json.writeStringProperty("source", answer.source());
            json.writeBooleanProperty("truncated", answer.truncated());
            json.writeStringProperty("cursor", answer.cursor());
            json.writeName("events");
            json.writeStartArray();
            for (byte[] event : answer.events()) {
                json.writeRawValue(new String(event, java.nio.charset.StandardCharsets.UTF_8));
            }
            json.writeEndArray();
            json.writeEndObject();
        }
        return out.toByteArray();
    }
}
