package dev.ssebridge.bridge.request;

import dev.ssebridge.bridge.cursor.CursorCodec;
import dev.ssebridge.bridge.start.StartRequest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/** Reads a stream's start from the request: {@code Last-Event-ID}, {@code last_event_id}, {@code since}, {@code from}. */
public final class StartRequests {

    private final CursorCodec codec;
    private final Clock clock;

    public StartRequests(CursorCodec codec, Clock clock) {
        this.codec = codec;
        this.clock = clock;
    }

    /**
     * A cursor (header before parameter: EventSource sends the header on reconnect, and it is newer than
     * the parameter of the original URL) wins over {@code since}, which wins over {@code from}.
     */
    public StartRequest parse(String lastEventIdHeader, String lastEventIdParam, String since, String from) {
        String cursor = present(lastEventIdHeader) ? lastEventIdHeader : lastEventIdParam;
        if (present(cursor)) {
            return new StartRequest(codec.decode(cursor.strip()), null, false);
        }
        if (present(since)) {
            return new StartRequest(null, parseSince(since.strip()), false);
        }
        if (present(from)) {
            return switch (from.strip()) {
                case "earliest" -> new StartRequest(null, null, true);
                case "latest" -> StartRequest.LIVE;
                default -> throw new InvalidParameterException("from", "from must be 'earliest' or 'latest'");
            };
        }
        return StartRequest.LIVE;
    }

    private Instant parseSince(String since) {
        try {
            if (since.startsWith("P") || since.startsWith("-P")) {
                Duration ago = Duration.parse(since);
                if (ago.isNegative()) {
                    throw new InvalidParameterException("since", "since must not be a negative duration");
                }
                return clock.instant().minus(ago);
            }
            return Instant.parse(since);
        } catch (DateTimeParseException | ArithmeticException e) {
            throw new InvalidParameterException("since",
                    "since must be an ISO-8601 instant such as 2025-10-24T15:30:00Z or a duration such as PT15M");
        }
    }

    private static boolean present(String value) {
        return value != null && !value.isBlank();
    }
}
