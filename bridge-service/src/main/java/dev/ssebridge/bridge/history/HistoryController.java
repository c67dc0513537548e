package dev.ssebridge.bridge.history;

import dev.ssebridge.bridge.apidoc.ApiDocs;
import dev.ssebridge.bridge.channel.Channel;
import dev.ssebridge.bridge.channel.Channels;
import dev.ssebridge.bridge.config.BridgeProperties;
import dev.ssebridge.bridge.connection.StreamFilter;
import dev.ssebridge.bridge.cursor.CursorCodec;
import dev.ssebridge.bridge.hub.ChannelHubs;
import dev.ssebridge.bridge.kafka.FailedTails;
import dev.ssebridge.bridge.kafka.KafkaReplayReader;
import dev.ssebridge.bridge.policy.PolicyScope;
import dev.ssebridge.bridge.policy.RecordPolicies;
import dev.ssebridge.bridge.request.FilterRequests;
import dev.ssebridge.bridge.request.InvalidParameterException;
import dev.ssebridge.bridge.request.StartRequests;
import dev.ssebridge.bridge.security.ChannelAccess;
import dev.ssebridge.bridge.start.StartResolver;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.io.ByteArrayOutputStream;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
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
@Tag(name = "history", description = "Recent events as JSON")
@RestController
class HistoryController {

    static final int DEFAULT_LIMIT = 100;
    private static final JsonFactory JSON = new JsonFactory();

    private final Channels channels;
    private final History history;
    private final StartRequests startRequests;
    private final FilterRequests filters;
    private final int maxLimit;
    private final ChannelAccess access;
    private final RecordPolicies policies;

    HistoryController(Channels channels, ChannelHubs hubs, StartResolver starts, KafkaReplayReader kafka,
                      CursorCodec codec, Clock clock, BridgeProperties properties, ChannelAccess access,
                      FilterRequests filters, RecordPolicies policies, FailedTails failedTails) {
        this.policies = policies;
        this.access = access;
        this.channels = channels;
        this.history = new History(hubs, starts, kafka, codec, failedTails);
        this.startRequests = new StartRequests(codec, clock);
        this.filters = filters;
        this.maxLimit = properties.history().maxLimit();
    }

    @Operation(summary = "Recent events of a channel as JSON",
            description = "Without since: what the bridge holds in memory. With since: every record from then on, "
                    + "from memory or Kafka. Newest last, at most limit (default 100). Filters as on the streams.")
    @ApiResponse(responseCode = "200", content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
            schema = @Schema(implementation = HistoryAnswer.class)))
    @ApiResponse(responseCode = "400", description = ApiDocs.BAD_REQUEST, content = @Content(
            mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE, schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "404", description = ApiDocs.NOT_FOUND, content = @Content(
            mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE, schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "503", description = ApiDocs.UNAVAILABLE, content = @Content(
            mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE, schema = @Schema(implementation = ProblemDetail.class)))
    @Parameter(name = "key", in = ParameterIn.QUERY, description = ApiDocs.KEY)
    @Parameter(name = "min_severity", in = ParameterIn.QUERY, description = ApiDocs.MIN_SEVERITY,
            schema = @Schema(allowableValues = {"low", "medium", "high", "critical"}))
    @Parameter(name = "where", in = ParameterIn.QUERY, description = ApiDocs.WHERE)
    @GetMapping(path = "/api/v1/sse/history/{channel}", produces = MediaType.APPLICATION_JSON_VALUE)
    Mono<ResponseEntity<byte[]>> history(@Parameter(description = "Channel name") @PathVariable("channel") String channelName,
                                         @Parameter(description = ApiDocs.SINCE)
                                         @RequestParam(name = "since", required = false) String since,
                                         @Parameter(description = "At most this many events, 1 to the configured maximum (1000)",
                                                 schema = @Schema(type = "integer", minimum = "1"))
                                         @RequestParam(name = "limit", required = false) String limit,
                                         @Parameter(hidden = true) @RequestParam MultiValueMap<String, String> query) {
        Channel channel = channels.require(channelName);
        int max = parseLimit(limit);
        StreamFilter filter = filters.parse(List.of(channel), query);
        var start = since == null || since.isBlank() ? null : startRequests.parse(null, null, since, null).since();
        return access.checkHistory(channel).flatMap(grant -> {
            Map<Channel, PolicyScope> scopes = policies.acquire(List.of(channel), grant.claims(), Map.of());
            return history.query(channel, start, max, filter.withScopes(scopes))
                    .doFinally(signal -> policies.release(scopes));
        }).map(answer -> ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(render(channel, answer)));
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

    /** Each event as {@code {"id", "event", "data", "timestamp"}}; {@code data} is the record value, embedded as is. */
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
            for (History.Event event : answer.events()) {
                json.writeStartObject();
                json.writeStringProperty("id", event.id());
                json.writeStringProperty("event", event.envelope().event());
                json.writeName("data");
                json.writeRawValue(event.envelope().dataJson());
                json.writeStringProperty("timestamp", event.envelope().timestamp());
                if (event.envelope().traceparent() != null) {
                    json.writeStringProperty("traceparent", event.envelope().traceparent());
                }
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeEndObject();
        }
        return out.toByteArray();
    }
}
