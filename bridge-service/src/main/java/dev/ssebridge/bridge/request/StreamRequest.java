package dev.ssebridge.bridge.request;

import org.springframework.util.MultiValueMap;

/**
 * What a stream request asks for, read from its URL and headers, whichever server path read them.
 *
 * @param query all query parameters, for the per-channel filters
 */
public record StreamRequest(String clientId, String lastEventIdHeader, String lastEventId, String since, String from,
                     MultiValueMap<String, String> query) {

    public static final String CLIENT_ID = "client_id";
    public static final String LAST_EVENT_ID = "last_event_id";
    public static final String SINCE = "since";
    public static final String FROM = "from";
    public static final String LAST_EVENT_ID_HEADER = "Last-Event-ID";

    /** From the query and the {@code Last-Event-ID} header. */
    public static StreamRequest of(MultiValueMap<String, String> query, String lastEventIdHeader) {
        return new StreamRequest(query.getFirst(CLIENT_ID), lastEventIdHeader, query.getFirst(LAST_EVENT_ID),
                query.getFirst(SINCE), query.getFirst(FROM), query);
    }
}
