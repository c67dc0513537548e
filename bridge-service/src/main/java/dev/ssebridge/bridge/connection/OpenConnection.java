package dev.ssebridge.bridge.connection;

import dev.ssebridge.bridge.channel.Channel;
import dev.ssebridge.bridge.frame.ChannelRecord;
import dev.ssebridge.bridge.frame.SseFrames;
import dev.ssebridge.bridge.frame.WriteBatches;
import dev.ssebridge.bridge.hub.ChannelEvent;
import dev.ssebridge.bridge.hub.EventBatch;
import dev.ssebridge.bridge.hub.Splice;
import dev.ssebridge.bridge.kafka.ReplayItem;
import dev.ssebridge.bridge.state.SnapshotCursor;
import dev.ssebridge.bridge.state.StateEntry;
import dev.ssebridge.bridge.state.StateSnapshot;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import reactor.core.Disposable;
import reactor.core.publisher.Sinks;

/**
 * One registered connection as its response pipeline sees it: its position, its state, and how each
 * {@link StreamItem} becomes the bytes it writes. Used by that pipeline only, one item at a time (Reactive
 * Streams signals are serial), so it needs no locking.
 */
final class OpenConnection implements StreamItem.Visitor<byte[]> {

    private final Connection connection;
    private final ConnectionPosition position;
    private final StreamFilter filter;
    private final Map<Channel, Splice> splices;
    private final Map<Channel, StateSnapshot> snapshots;
    private final Map<Channel, long[]> recreated;
    private final Sinks.Empty<Void> stalled;
    private final Disposable expiry;
    private final DeliveryMetrics metrics;
    private final Clock clock;
    private int replaysPending;
    private final Map<Channel, Integer> snapshotSent = new java.util.HashMap<>();
    private ConnectionState state;

    OpenConnection(Connection connection, ConnectionPosition position, StreamFilter filter,
                   Map<Channel, Splice> splices, Map<Channel, StateSnapshot> snapshots, Map<Channel, long[]> recreated,
                   Sinks.Empty<Void> stalled, Disposable expiry, DeliveryMetrics metrics, Clock clock) {
        this.recreated = recreated;
        this.connection = connection;
        this.position = position;
        this.filter = filter;
        this.splices = splices;
        this.snapshots = snapshots;
        this.stalled = stalled;
        this.expiry = expiry;
        this.metrics = metrics;
        this.clock = clock;
        this.replaysPending = splices.size() + snapshots.size();
        this.state = replaysPending == 0 ? ConnectionState.LIVE : ConnectionState.REPLAYING;
    }

    Connection connection() {
        return connection;
    }

    ConnectionPosition position() {
        return position;
    }

    /** What the connection gets of its channels: its caller's policy scopes and what it asked for. */
    StreamFilter filter() {
        return filter;
    }

    Map<Channel, Splice> splices() {
        return splices;
    }

    /** The snapshots this connection starts with, by channel (taken when it registered). */
    Map<Channel, StateSnapshot> snapshots() {
        return snapshots;
    }

    /**
     * The channels whose cursor was of their topic before it was re-created, with the cursor's offsets: their replay
     * starts at the new topic's beginning.
     */
    Map<Channel, long[]> recreated() {
        return recreated;
    }

    /** Fails when the client stopped reading after an overflow; completes when the stream ends. */
    Sinks.Empty<Void> stalled() {
        return stalled;
    }

    Disposable expiry() {
        return expiry;
    }

    ConnectionState state() {
        return state;
    }

    @Override
    public byte[] event(ChannelEvent event) {
        byte[] frame = position.render(event);
        if (frame != null) {
            metrics.delivered(event.channel(), event.timestamp(), state == ConnectionState.LIVE);
        }
        return frame;
    }

    @Override
    public byte[] events(EventBatch batch) {
        List<byte[]> frames = new ArrayList<>(batch.events().size());
        for (ChannelEvent event : batch.events()) {
            byte[] frame = event(event);
            if (frame != null) {
                frames.add(frame);
            }
        }
        return join(frames);
    }

    @Override
    public byte[] replayed(ReplayItem.Records records) {
        List<byte[]> frames = new ArrayList<>(records.records().size());
        for (ChannelRecord record : records.records()) {
            byte[] frame = position.render(record);
            if (frame != null) {
                metrics.delivered(record.channel(), record.timestamp(), false);
                frames.add(frame);
            }
        }
        return join(frames);
    }

    @Override
    public byte[] gap(ReplayItem.Gap gap) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("channel", gap.channel().name());
        data.put("partition", gap.partition());
        data.put("requested_offset", gap.requested());
        data.put("first_available_offset", gap.firstAvailable());
        data.put("lost", gap.lost());
        data.put("reason", "retention");
        return position.render(gap, SseFrames.controlEvent("replay_gap", data, clock.instant()));
    }

    @Override
    public byte[] topicRecreated(Channel channel, long[] heldOffsets) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("channel", channel.name());
        data.put("reason", "topic_recreated");
        data.put("requested_offsets", heldOffsets);
        return position.withId(SseFrames.controlEvent("replay_gap", data, clock.instant()), 0);
    }

    @Override
    public byte[] caughtUp(Channel channel, long[] positions) {
        position.caughtUp(channel, positions);
        if (--replaysPending == 0 && state == ConnectionState.REPLAYING) {
            state = ConnectionState.LIVE;
        }
        return null;
    }

    @Override
    public byte[] snapshot(StreamItem.SnapshotRun run) {
        List<byte[]> frames = new ArrayList<>(run.entries().size());
        for (StateEntry entry : run.entries()) {
            byte[] frame = position.render(run.channel(), entry, run.cursor().after(entry));
            if (frame != null) {
                frames.add(frame);
            }
        }
        snapshotSent.merge(run.channel(), frames.size(), Integer::sum);
        metrics.snapshotEntries(run.channel(), frames.size());
        return join(frames);
    }

    /**
     * The snapshot of {@code channel} is complete: {@code snapshot_end}, whose {@code id:} is where live events
     * continue, with what the snapshot held and whether the state's bounds had dropped keys from it.
     */
    @Override
    public byte[] snapshotEnd(Channel channel, StateSnapshot snapshot, SnapshotCursor cursor) {
        position.caughtUp(channel, cursor.end());
        if (--replaysPending == 0 && state == ConnectionState.REPLAYING) {
            state = ConnectionState.LIVE;
        }
        Map<String, Object> data = new LinkedHashMap<>();
        int sent = snapshotSent.getOrDefault(channel, 0);
        data.put("channel", channel.name());
        // A caller under a record policy learns nothing of the keys outside its scope, their number included.
        boolean scoped = filter.scoped(channel);
        data.put("keys", scoped ? sent : snapshot.keys());
        data.put("sent", sent);
        data.put("truncated", snapshot.truncated());
        if (!scoped) {
            data.put("evicted_keys", snapshot.evictedKeys());
        }
        return position.withId(SseFrames.controlEvent("snapshot_end", data, clock.instant()), 0);
    }

    @Override
    public byte[] conflated(ChannelEvent event, long[] idPosition) {
        byte[] frame = position.renderConflated(event, idPosition);
        metrics.delivered(event.channel(), event.timestamp(), state == ConnectionState.LIVE);
        return frame;
    }

    @Override
    public byte[] ping(byte[] frame) {
        return frame;
    }

    @Override
    public byte[] end(StreamEnd reason) {
        state = ConnectionState.ENDING;
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("reason", reason.reason());
        data.put("message", reason.message());
        return position.withId(SseFrames.controlEvent("stream_end", data, clock.instant()), 0);
    }

    /** Frames that leave in one write; null when the connection skipped all of them. */
    private static byte[] join(List<byte[]> frames) {
        return frames.isEmpty() ? null : WriteBatches.join(frames);
    }
}
