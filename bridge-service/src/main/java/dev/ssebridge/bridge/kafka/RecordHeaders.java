package dev.ssebridge.bridge.kafka;

import dev.ssebridge.bridge.trace.TraceParent;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * A record's headers as a policy reads them: name to UTF-8 text, the last value of a repeated name. Read only for the
 * channels whose policy uses {@code record.headers}; the others' records keep none. Bounded: at most
 * {@link #MAX_HEADERS} headers of at most {@link #MAX_VALUE} bytes each are kept (a producer's headers are not the
 * bridge's to hold in memory without end).
 */
final class RecordHeaders {

    static final int MAX_HEADERS = 64;
    static final int MAX_VALUE = 1024;

    private RecordHeaders() {
    }

    /** The last value of header {@code name} as text, or null (absent, or longer than {@link #MAX_VALUE}). */
    static String last(Headers headers, String name) {
        Header header = headers.lastHeader(name);
        byte[] value = header == null ? null : header.value();
        return value == null || value.length > MAX_VALUE ? null : new String(value, StandardCharsets.UTF_8);
    }

    /** The record's W3C trace context, checked and in its version 00 form, or null (absent or not valid). */
    static String traceparent(Headers headers) {
        TraceParent parent = TraceParent.parse(last(headers, TraceParent.HEADER));
        return parent == null ? null : parent.header();
    }

    static Map<String, String> of(Headers headers) {
        Map<String, String> text = new HashMap<>();
        for (Header header : headers) {
            if (text.size() >= MAX_HEADERS && !text.containsKey(header.key())) {
                continue;
            }
            byte[] value = header.value();
            if (value != null && value.length <= MAX_VALUE) {
                text.put(header.key(), new String(value, StandardCharsets.UTF_8));
            }
        }
        return Map.copyOf(text);
    }
}
