package dev.ssebridge.bridge.cursor;

import dev.ssebridge.bridge.channel.Channel;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A stream position: for every partition of every channel in a stream, the next offset to deliver, and which
 * incarnation of the channel's topic those offsets belong to ({@link TopicIncarnation}: a topic deleted and
 * re-created with the same name starts its offsets again). What a client holds as its SSE event id (encoded by
 * {@link CursorCodec}). Immutable.
 */
public final class Cursor {

    private final Map<Channel, long[]> positions;
    private final Map<Channel, Integer> incarnations;

    private Cursor(Map<Channel, long[]> positions, Map<Channel, Integer> incarnations) {
        this.positions = positions;
        this.incarnations = incarnations;
    }

    /**
     * A cursor over the given channels; arrays are copied.
     *
     * @param incarnations the topic incarnation of each channel's offsets; a channel left out has
     *                     {@link TopicIncarnation#UNKNOWN}
     */
    public static Cursor of(Map<Channel, long[]> positions, Map<Channel, Integer> incarnations) {
        Map<Channel, long[]> copy = new LinkedHashMap<>();
        positions.forEach((channel, offsets) -> copy.put(channel, offsets.clone()));
        Map<Channel, Integer> known = new LinkedHashMap<>();
        incarnations.forEach((channel, incarnation) -> {
            if (copy.containsKey(channel) && incarnation != TopicIncarnation.UNKNOWN) {
                known.put(channel, incarnation);
            }
        });
        return new Cursor(Collections.unmodifiableMap(copy), Collections.unmodifiableMap(known));
    }

    public static Cursor of(Channel channel, int incarnation, long[] offsets) {
        return of(Map.of(channel, offsets), Map.of(channel, incarnation));
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

    /**
     * The incarnation of {@code channel}'s topic the offsets belong to; {@link TopicIncarnation#UNKNOWN} in a cursor
     * written before incarnations were (version 1) or by a bridge that could not learn the topic's id.
     */
    public int incarnation(Channel channel) {
        return incarnations.getOrDefault(channel, TopicIncarnation.UNKNOWN);
    }

    Map<Channel, long[]> raw() {
        return positions;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Cursor other) || !other.positions.keySet().equals(positions.keySet())
                || !other.incarnations.equals(incarnations)) {
            return false;
        }
        return positions.entrySet().stream()
                .allMatch(e -> Arrays.equals(e.getValue(), other.positions.get(e.getKey())));
    }

    @Override
    public int hashCode() {
        int h = 1;
        for (Map.Entry<Channel, long[]> e : positions.entrySet()) {
            h = 31 * h + Objects.hash(e.getKey(), Arrays.hashCode(e.getValue()), incarnation(e.getKey()));
        }
        return h;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Cursor{");
        positions.forEach((c, o) -> sb.append(c.name()).append('@').append(Integer.toHexString(incarnation(c)))
                .append('=').append(Arrays.toString(o)).append(' '));
        return sb.append('}').toString();
    }
}
