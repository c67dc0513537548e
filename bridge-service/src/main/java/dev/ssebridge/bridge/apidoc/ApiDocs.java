package dev.ssebridge.bridge.apidoc;

/** Texts shared by the API description of several endpoints. */
public final class ApiDocs {

    private ApiDocs() {
    }

    public static final String STREAM_EVENTS = """
            A text/event-stream. First a `connected` event (client_id, channels, each channel's event name, and \
            an `id:` with the starting cursor, plus `retry:`), then one event per Kafka record named after its channel (`training_progress`, \
            `backtest_progress`, `risk_alert`, `dashboard_update`), each with an `id:` cursor and `data:` holding \
            the envelope `{"event","data","timestamp"}` (on a channel with trace-context, plus the record's W3C \
            `traceparent`); `ping` after 30 s without a write; `delete` for a tombstone (data: the \
            key); `replay_gap` when retention deleted records a cursor asked for (channel, partition, \
            requested_offset, first_available_offset, lost, reason retention), or when the cursor is of the \
            channel's topic before it was deleted and re-created (channel, reason topic_recreated, \
            requested_offsets; the new topic follows from its beginning); `stream_end` when the bridge ends the \
            stream itself (reason fell_behind, shutdown, replay_unavailable, topic_recreated, token_expired or \
            replaced), after which EventSource \
            reconnects and resumes (after token_expired: with a fresh token; after replaced: better not). With \
            snapshot=true, each channel that keeps state first sends the latest event of every key (each with its \
            `id:`), then `snapshot_end` (channel, keys, sent, truncated, evicted_keys), then live events. Responses \
            are gzip-compressed (flushed per write) when the client sends Accept-Encoding: gzip.""";

    public static final String CLIENT_ID = "Your id for this connection, shown in status: 1-64 characters of "
            + "A-Z a-z 0-9 . _ : - (default: a generated UUID). A new connection with the same client_id and "
            + "channels (and token subject) ends the older one with stream_end, reason replaced.";

    public static final String LAST_EVENT_ID_HEADER = "Cursor to resume after: the `id:` of the last event "
            + "received. EventSource sends it by itself on reconnect. Wins over every other start parameter.";

    public static final String LAST_EVENT_ID = "Cursor to resume after, for a first connection (a new EventSource "
            + "cannot set headers). The Last-Event-ID header wins over it. Wins over since and from.";

    public static final String SINCE = "Replay records whose timestamp is at or after this instant "
            + "(ISO-8601, e.g. 2025-10-24T15:30:00Z) or this long ago (ISO-8601 duration, e.g. PT15M), then go live. "
            + "Ignored when a cursor is given; wins over from.";

    public static final String FROM = "Start without a cursor: `earliest` replays everything Kafka still holds, "
            + "`latest` (default) starts live.";

    public static final String KEY = "Only events with one of these Kafka keys (comma-separated or repeated, at "
            + "most 100, each 1-256 characters of A-Z a-z 0-9 . _ : @ / + = -). Applies to every channel.";

    public static final String MIN_SEVERITY = "Channels with a severity field only: this severity and above (low < "
            + "medium < high < critical).";

    public static final String SNAPSHOT = "true: the channels of the stream that keep state start with the latest "
            + "event of every key, then `snapshot_end`, then live (exact to resume at any point); the other channels "
            + "start as since/from say. false: no snapshot even where the channel gives one by default. A cursor "
            + "(reconnect) wins: the stream resumes instead.";
    public static final String MAX_RATE = "At most this many events per second per key (0 < max_rate <= 100, e.g. 2 "
            + "or 0.5), on the channels that allow conflation: within the interval only the latest value of each key "
            + "is sent; keys are never merged. Refused (400) for channels where every event must arrive (alerts). "
            + "Those channels also conflate by themselves for a client that reads slower than they write.";
    public static final String WHERE = "A CEL expression on the event's value, `data`: only events for which it is "
            + "true (e.g. `data.progress >= 50 && data.status == \"running\"`). Comparisons, && || !, in, has(), "
            + "size, contains/startsWith/endsWith/matches with a literal argument; at most 1024 characters. A bad "
            + "expression is a 400 naming its position. Deletes (tombstones) always pass.";

    public static final String TOO_MANY = "Admission control: too many streams from this address or on this instance, "
            + "or new streams too fast; Retry-After says when to try again. Open streams are unaffected.";
    public static final String UNAUTHORIZED = "No token, or a token that is expired, forged, unsigned or from another "
            + "issuer (when security is enabled).";
    public static final String FORBIDDEN = "The token is valid but does not grant the channel(s) named in the problem.";
    public static final String BAD_REQUEST = "Invalid cursor, parameter or filter; the problem names it.";
    public static final String NOT_FOUND = "No such channel.";
    public static final String UNAVAILABLE = "The instance is shutting down, the channel is not reading Kafka yet, or "
            + "its Kafka consumer has failed (Kafka refused the bridge: type channel-failed, answered at once); "
            + "retry after Retry-After seconds.";
}
