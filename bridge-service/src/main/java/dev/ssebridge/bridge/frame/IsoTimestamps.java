package dev.ssebridge.bridge.frame;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;

/**
 * Epoch millis as ISO-8601 UTC bytes, the same text as {@link Instant#toString()} (no fraction when the
 * millis are zero). Every record's envelope carries one, and formatting it through {@code Instant} was a
 * visible share of a replay's time; records mostly come in runs within one second, so the text up to the
 * second is kept and only the millis are written per record.
 *
 * <p>Shared by the threads that use one instance (the tail and replays decoding, event loops opening
 * streams): the cached second is one immutable object,
 * replaced whole, so a racing reader sees either the old or the new one.
 */
public final class IsoTimestamps {

    private record Second(long epochSecond, byte[] text) {
    }

    private Second last = new Second(Long.MIN_VALUE, new byte[0]);

    /** Writes the timestamp's text; returns its bytes. */
    public byte[] format(long epochMillis) {
        long epochSecond = Math.floorDiv(epochMillis, 1000);
        int millis = (int) Math.floorMod(epochMillis, 1000);
        Second second = last;
        if (second.epochSecond() != epochSecond) {
            String text = Instant.ofEpochSecond(epochSecond).toString(); // "...:ssZ"
            second = new Second(epochSecond, text.substring(0, text.length() - 1).getBytes(StandardCharsets.US_ASCII));
            last = second;
        }
        byte[] head = second.text();
        if (millis == 0) {
            byte[] out = Arrays.copyOf(head, head.length + 1);
            out[head.length] = 'Z';
            return out;
        }
        byte[] out = Arrays.copyOf(head, head.length + 5);
        out[head.length] = '.';
        out[head.length + 1] = (byte) ('0' + millis / 100);
        out[head.length + 2] = (byte) ('0' + millis / 10 % 10);
        out[head.length + 3] = (byte) ('0' + millis % 10);
        out[head.length + 4] = 'Z';
        return out;
    }
}
