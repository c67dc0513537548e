package dev.ssebridge.bridge.history;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/** Shape of a history answer, for the API description (the answer itself is written as bytes). */
@Schema(name = "history_answer")
record HistoryAnswer(
        @Schema(description = "The channel", example = "training") String channel,
        @Schema(description = "Where the events came from", allowableValues = {"ring", "kafka"}) String source,
        @Schema(description = "True when older matching events were left out to respect the limit") boolean truncated,
        @Schema(description = "Cursor right after the last event of the query: pass it as last_event_id to go live "
                + "without gap or repeat") String cursor,
        @Schema(description = "Events, oldest first") List<HistoryEvent> events) {

    /** One event: the SSE envelope plus its cursor. */
    @Schema(name = "history_event")
    public record HistoryEvent(
            @Schema(description = "Cursor right after this event") String id,
            @Schema(description = "Event name", example = "training_progress") String event,
            @Schema(description = "The Kafka record value, as produced") Object data,
            @Schema(description = "Record timestamp, ISO-8601 UTC", example = "2025-10-24T15:30:00Z") String timestamp) {
    }
}
