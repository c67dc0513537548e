package dev.ssebridge.bridge.cursor;

import dev.ssebridge.bridge.channel.Channel;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A stream position: for every partition of every channel in a stream, the next offset to deliver.
 * What a client holds as its SSE event id (encoded by {@link CursorCodec}). Immutable.
 */
public final class Cursor {

    private final Map<Channel, long[]> positions;

    private Cursor(Map<Channel, long[]> positions) {
        this.positions = positions;
    }

    /** A cursor over the given channels; arrays are copied. */
    public static Cursor of(Map<Channel, long[]> positions) {
        Map<Channel, long[]> copy = new LinkedHashMap<>();
        positions.forEach((channel, offsets) -> copy.put(channel, offsets.clone()));
        return new Cursor(Collections.unmodifiableMap(copy));
    }

    public static Cursor of(Channel channel, long[] offsets) {
        return of(Map.of(channel, offsets));
    }

    /** Channels in the order they were given. */
    public java.util.Set<Channel> channels() {
        return positions.keySet();
    }

    /** Next offsets of {@code channel} by partition (a copy), or null when the cursor does not cover it. */
    public long[] positions(Channel channel) {
        long[] offsets = positions.get(channel);
        return offsets == null ? null : offsets.clone();
    }

    Map<Channel, long[]> raw() {
        return positions;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Cursor other) || !other.positions.keySet().equals(positions.keySet())) {
            return false;
        }
        return positions.entrySet().stream()
                .allMatch(e -> Arrays.equals(e.getValue(), other.positions.get(e.getKey())));
    }

    @Override
    public int hashCode() {
        int h = 1;
        for (Map.Entry<Channel, long[]> e : positions.entrySet()) {
            h = 31 * h + Objects.hash(e.getKey(), Arrays.hashCode(e.getValue()));
        }
        return h;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Cursor{");
        positions.forEach((c, o) -> sb.append(c.name()).append('=').append(Arrays.toString(o)).append(' '));
        return sb.append('}').toString();
    }
}
