package dev.ssebridge.bridge.start;

import dev.ssebridge.bridge.cursor.Cursor;
import java.time.Instant;

/**
 * Where a connection asks to start. At most one applies: a cursor wins over {@code since}, which wins
 * over {@code from}. With none, the connection starts live.
 *
 * @param cursor   from {@code Last-Event-ID} or {@code last_event_id}; exact resume
 * @param since    replay records whose timestamp is at or after this instant
 * @param earliest replay everything Kafka still holds ({@code from=earliest})
 */
public record StartRequest(Cursor cursor, Instant since, boolean earliest) {

    public static final StartRequest LIVE = new StartRequest(null, null, false);

    public boolean isLive() {
        return cursor == null && since == null && !earliest;
    }
}
