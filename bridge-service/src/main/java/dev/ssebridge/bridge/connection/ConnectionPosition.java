package dev.ssebridge.bridge.connection;

import dev.ssebridge.bridge.channel.Channel;
import dev.ssebridge.bridge.cursor.CursorCodec;
import dev.ssebridge.bridge.cursor.TopicIncarnation;
import dev.ssebridge.bridge.frame.ChannelRecord;
import dev.ssebridge.bridge.frame.SseFrames;
import dev.ssebridge.bridge.hub.ChannelEvent;
import dev.ssebridge.bridge.kafka.ReplayItem;
import dev.ssebridge.bridge.state.StateEntry;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Where one connection stands in each of its channels, and the {@code id:} it owes each event.
 * Used only by the connection's response pipeline, one item at a time, so it needs no locking.
 *
 * <p>For an event the tail delivered live, the connection's position becomes the element-wise maximum
 * of its own and the tail's position right after the event: every record before the latter was
 * delivered to this connection already. When that equals the tail's position (a live, single-channel
 * connection: the usual case), the event's shared bytes, {@code id:} included, go out unchanged.
 * A connection that started ahead of this instance's tail keeps its larger offsets until the tail
 * passes them, and gets its own {@code id:}; events below its position are dropped as already delivered.
 */
final class ConnectionPosition {

    private final List<Channel> channels;
    private final long[][] next; // per channel (same order), null while unknown
    private final int[] incarnations; // per channel: the topic incarnation its offsets are in
    private final boolean[] owned; // whether next[c] is this connection's own array (else shared, read-only)
    private final CursorCodec codec;
    private final StreamFilter filter;

    /**
     * @param incarnations per channel, the incarnation of its topic the connection subscribed in: fixed for the
     *                     connection's life (a re-created topic ends the stream); one not known yet (the tail had not
     *                     described the topic) is taken from the first live event
     */
    ConnectionPosition(List<Channel> channels, List<long[]> starts, List<Integer> incarnations, CursorCodec codec,
                       StreamFilter filter) {
        this.channels = channels;
        this.incarnations = incarnations.stream().mapToInt(Integer::intValue).toArray();
        this.next = starts.toArray(new long[0][]);
        this.owned = new boolean[next.length];
        this.codec = codec;
        this.filter = filter;
    }

    /** The cursor of this position, or null when no channel position is known yet. */
    String cursor() {
        List<Channel> known = new ArrayList<>();
        List<Integer> topics = new ArrayList<>();
        List<long[]> offsets = new ArrayList<>();
        for (int i = 0; i < channels.size(); i++) {
            if (next[i] != null) {
                known.add(channels.get(i));
                topics.add(incarnations[i]);
                offsets.add(next[i]);
            }
        }
        if (known.isEmpty()) {
            return null;
        }
        return known.size() == 1 ? codec.encode(known.get(0), topics.get(0), offsets.get(0))
                : codec.encode(known, topics, offsets);
    }

    /**
     * The bytes to send for {@code event}, with the right {@code id:}, or null when this connection
     * already has it or filters it out (its position moves on either way).
     */
    byte[] render(ChannelEvent event) {
        int c = channels.indexOf(event.channel());
        learnIncarnation(c, event);
        long[] mine = next[c];
        if (mine == null && event.history()) {
            return null; // came before its position was known: the history a state is built from is not news to it
        }
        if (mine != null && event.partition() < mine.length && event.offset() < mine[event.partition()]) {
            return null;
        }
        long[] tail = event.positionsAfter();
        boolean shared = false;
        if (mine == null || atLeast(tail, mine)) {
            next[c] = tail; // shared and never modified: grow() copies before writing
            owned[c] = false;
            shared = channels.size() == 1;
        } else {
            next[c] = max(mine, tail);
            owned[c] = true;
        }
        if (!filter.accepts(event)) {
            return null;
        }
        return shared ? event.frame() : withId(event.frame(), event.bodyOffset());
    }

    private void learnIncarnation(int c, ChannelEvent event) {
        if (incarnations[c] == TopicIncarnation.UNKNOWN) {
            incarnations[c] = event.incarnation();
        }
    }

    /** The body of a record replayed from Kafka with this connection's {@code id:}; null if delivered or filtered out. */
    byte[] render(ChannelRecord record) {
        int c = channels.indexOf(record.channel());
        long[] mine = grow(c, record.partition() + 1);
        if (record.offset() < mine[record.partition()]) {
            return null;
        }
        mine[record.partition()] = record.offset() + 1;
        if (!filter.accepts(record)) {
            return null;
        }
        return withId(record.body(), 0);
    }

    /**
     * A snapshot entry of {@code channel}, with the channel's position after it ({@code SnapshotCursor}), or
     * null when the filters leave it out (the position moves on either way).
     */
    byte[] render(Channel channel, StateEntry entry, long[] positionAfter) {
        int c = channels.indexOf(channel);
        next[c] = positionAfter;
        owned[c] = true;
        if (!filter.accepts(channel, entry)) {
            return null;
        }
        return withId(entry.frame(), entry.bodyOffset());
    }

    /**
     * A live event of a conflated channel, which the filters already passed: its {@code id:} carries
     * {@code idPosition}, the tail's position lowered to what the connection still holds back, so a resume
     * replays every held event.
     */
    byte[] renderConflated(ChannelEvent event, long[] idPosition) {
        int c = channels.indexOf(event.channel());
        learnIncarnation(c, event);
        next[c] = idPosition;
        owned[c] = true;
        return withId(event.frame(), event.bodyOffset());
    }

    /** A {@code replay_gap} event: the position jumps over what retention deleted. */
    byte[] render(ReplayItem.Gap gap, byte[] event) {
        int c = channels.indexOf(gap.channel());
        long[] mine = grow(c, gap.partition() + 1);
        mine[gap.partition()] = Math.max(mine[gap.partition()], gap.firstAvailable());
        return withId(event, 0);
    }

    /** Replay reached the tail position {@code positions}; nothing is sent. */
    void caughtUp(Channel channel, long[] positions) {
        int c = channels.indexOf(channel);
        next[c] = next[c] == null ? positions.clone() : max(next[c], positions);
        owned[c] = true;
    }

    /** This connection's own copy of channel {@code c}'s offsets, at least {@code length} long. */
    private long[] grow(int c, int length) {
        long[] mine = next[c];
        if (mine == null) {
            mine = new long[length];
        } else if (!owned[c] || mine.length < length) {
            mine = Arrays.copyOf(mine, Math.max(mine.length, length));
        }
        next[c] = mine;
        owned[c] = true;
        return mine;
    }

    /** {@code body} (from {@code offset}) preceded by this connection's own {@code id:} line. */
    byte[] withId(byte[] body, int offset) {
        String cursor = cursor();
        if (cursor == null) {
            return offset == 0 ? body : Arrays.copyOfRange(body, offset, body.length);
        }
        return SseFrames.withId(cursor, body, offset);
    }

    private static boolean atLeast(long[] tail, long[] mine) {
        if (tail.length < mine.length) {
            return false;
        }
        for (int p = 0; p < mine.length; p++) {
            if (tail[p] < mine[p]) {
                return false;
            }
        }
        return true;
    }

    private static long[] max(long[] mine, long[] tail) {
        long[] out = Arrays.copyOf(mine, Math.max(mine.length, tail.length));
        for (int p = 0; p < tail.length; p++) {
            out[p] = Math.max(out[p], tail[p]);
        }
        return out;
    }
}
