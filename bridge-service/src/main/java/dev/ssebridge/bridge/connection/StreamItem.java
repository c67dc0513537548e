package dev.ssebridge.bridge.connection;

import dev.ssebridge.bridge.channel.Channel;
import dev.ssebridge.bridge.hub.ChannelEvent;
import dev.ssebridge.bridge.hub.EventBatch;
import dev.ssebridge.bridge.kafka.ReplayItem;
import dev.ssebridge.bridge.state.SnapshotCursor;
import dev.ssebridge.bridge.state.StateEntry;
import dev.ssebridge.bridge.state.StateSnapshot;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import reactor.core.publisher.Flux;

/**
 * Everything a connection writes, in the order it writes it: snapshot entries and the end of a snapshot,
 * replayed records and gaps, the mark that a channel's replay reached the live position, live events (some
 * conflated), pings, and the end. Rendered by a {@link Visitor},
 * which must handle every kind (Java 17 has no exhaustive switch over sealed types; the visitor is the
 * compiler-checked equivalent).
 */
sealed interface StreamItem {

    /** A snapshot leaves in writes of about this size: large enough to be cheap, small enough to interleave. */
    int SNAPSHOT_RUN_BYTES = 32 * 1024;

    <R> R accept(Visitor<R> visitor);

    /** One method per kind of item. */
    interface Visitor<R> {
        R event(ChannelEvent event);

        R events(EventBatch batch);

        R replayed(ReplayItem.Records records);

        R gap(ReplayItem.Gap gap);

        R caughtUp(Channel channel, long[] positions);

        R topicRecreated(Channel channel, long[] heldOffsets);

        R snapshot(SnapshotRun run);

        R snapshotEnd(Channel channel, StateSnapshot snapshot, SnapshotCursor cursor);

        R conflated(ChannelEvent event, long[] idPosition);

        R ping(byte[] frame);

        R end(StreamEnd reason);
    }

    /** Events and bytes an item holds in a connection's queue, for its bound. */
    int events();

    int bytes();

    /** A hub event: live, or replayed from the ring. */
    record Event(ChannelEvent event) implements StreamItem {
        public <R> R accept(Visitor<R> visitor) {
            return visitor.event(event);
        }

        public int events() {
            return 1;
        }

        public int bytes() {
            return event.size();
        }
    }

    /** Hub events that leave in one write. */
    record Events(EventBatch batch) implements StreamItem {
        public <R> R accept(Visitor<R> visitor) {
            return visitor.events(batch);
        }

        public int events() {
            return batch.events().size();
        }

        public int bytes() {
            return batch.bytes();
        }
    }

    /** Records replayed from Kafka, which leave in one write. */
    record Replayed(ReplayItem.Records records) implements StreamItem {
        public <R> R accept(Visitor<R> visitor) {
            return visitor.replayed(records);
        }

        public int events() {
            return records.records().size();
        }

        public int bytes() {
            int bytes = 0;
            for (var record : records.records()) {
                bytes += record.size();
            }
            return bytes;
        }
    }

    /** Retention deleted records a replay needed. */
    record Gap(ReplayItem.Gap gap) implements StreamItem {
        public <R> R accept(Visitor<R> visitor) {
            return visitor.gap(gap);
        }

        public int events() {
            return 1;
        }

        public int bytes() {
            return 0;
        }
    }

    /**
     * The cursor's offsets of {@code channel} ({@code heldOffsets}) are of its topic before it was deleted and
     * re-created: the replay starts at the new topic's beginning instead, and the client is told so.
     */
    record TopicRecreated(Channel channel, long[] heldOffsets) implements StreamItem {
        public <R> R accept(Visitor<R> visitor) {
            return visitor.topicRecreated(channel, heldOffsets);
        }

        public int events() {
            return 1;
        }

        public int bytes() {
            return 0;
        }
    }

    /** The replay of {@code channel} reached the tail position at which live events take over. */
    record CaughtUp(Channel channel, long[] positions) implements StreamItem {
        public <R> R accept(Visitor<R> visitor) {
            return visitor.caughtUp(channel, positions);
        }

        public int events() {
            return 0;
        }

        public int bytes() {
            return 0;
        }
    }

    /**
     * Entries of a channel's snapshot that leave in one write, with the connection's cursor through the
     * snapshot (shared by the runs of one snapshot, used in order).
     */
    record SnapshotRun(Channel channel, List<StateEntry> entries, int bytes, SnapshotCursor cursor) implements StreamItem {
        public <R> R accept(Visitor<R> visitor) {
            return visitor.snapshot(this);
        }

        public int events() {
            return entries.size();
        }
    }

    /** The snapshot of {@code channel} is complete: live events continue from its positions. */
    record SnapshotEnd(Channel channel, StateSnapshot snapshot, SnapshotCursor cursor) implements StreamItem {
        public <R> R accept(Visitor<R> visitor) {
            return visitor.snapshotEnd(channel, snapshot, cursor);
        }

        public int events() {
            return 0;
        }

        public int bytes() {
            return 0;
        }
    }

    /**
     * A live event of a conflated channel, with the position its {@code id:} must carry: the tail's, lowered to
     * the oldest event the connection still holds back (see {@code KeyConflator}).
     */
    record Conflated(ChannelEvent event, long[] idPosition) implements StreamItem {
        public <R> R accept(Visitor<R> visitor) {
            return visitor.conflated(event, idPosition);
        }

        public int events() {
            return 1;
        }

        public int bytes() {
            return event.size();
        }
    }

    /** A keepalive frame, shared by every connection of one tick. */
    record Ping(byte[] frame) implements StreamItem {
        public <R> R accept(Visitor<R> visitor) {
            return visitor.ping(frame);
        }

        public int events() {
            return 1;
        }

        public int bytes() {
            return frame.length;
        }
    }

    /** The bridge ends the stream: the last item. */
    record End(StreamEnd reason) implements StreamItem {
        public <R> R accept(Visitor<R> visitor) {
            return visitor.end(reason);
        }

        public int events() {
            return 0;
        }

        public int bytes() {
            return 0;
        }
    }

    /** A snapshot's entries in runs that leave in one write each, read lazily as the connection writes. */
    static Flux<StreamItem> snapshot(Channel channel, StateSnapshot snapshot, SnapshotCursor cursor) {
        return Flux.<StreamItem, Iterator<StateEntry>>generate(snapshot::iterator,
                (entries, sink) -> {
                    if (!entries.hasNext()) {
                        sink.complete();
                        return entries;
                    }
                    List<StateEntry> run = new ArrayList<>();
                    int bytes = 0;
                    while (entries.hasNext() && bytes < SNAPSHOT_RUN_BYTES) {
                        StateEntry entry = entries.next();
                        run.add(entry);
                        bytes += entry.size();
                    }
                    sink.next(new SnapshotRun(channel, run, bytes, cursor));
                    return entries;
                });
    }

    /** Ring events in runs that leave in one write each. */
    static List<StreamItem> runs(List<ChannelEvent> events) {
        return EventBatch.runsOf(events).stream().<StreamItem>map(Events::new).toList();
    }
}
