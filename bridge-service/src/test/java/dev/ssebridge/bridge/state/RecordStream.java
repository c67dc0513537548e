package dev.ssebridge.bridge.state;

import dev.ssebridge.bridge.support.StateEntryBuilder;
import dev.ssebridge.bridge.where.EventValue;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A random channel history for property tests: records over a few partitions in the order a tail reads them
 * (each partition's offsets increasing, with gaps as compaction and transactions leave), keys that stay in
 * one partition, and tombstones.
 */
final class RecordStream {

    /** One record; {@code frame} null for a tombstone. */
    record Rec(int partition, long offset, String key, byte[] frame) {

        boolean tombstone() {
            return frame == null;
        }

        StateEntry entry() {
            return StateEntryBuilder.entry(partition, offset, key).timestamp(offset * 10).frame(frame)
                    .value(EventValue.ofJson(frame)).build();
        }
    }

    final int partitions;
    final List<Rec> records = new ArrayList<>();

    RecordStream(Random random, int partitions, int keys, int length, int tombstonePercent) {
        this.partitions = partitions;
        long[] next = new long[partitions];
        for (int i = 0; i < length; i++) {
            String key = "k" + random.nextInt(keys);
            int p = Math.floorMod(key.hashCode(), partitions);
            long offset = next[p] + (random.nextInt(5) == 0 ? 1 + random.nextInt(3) : 0);
            next[p] = offset + 1;
            byte[] frame = random.nextInt(100) < tombstonePercent ? null
                    : ("{\"v\":" + i + ",\"pad\":\"" + "x".repeat(random.nextInt(40)) + "\"}").getBytes(StandardCharsets.UTF_8);
            records.add(new Rec(p, offset, key, frame));
        }
    }

    /** The tail's next offset per partition after the first {@code n} records. */
    long[] positionsAfter(int n) {
        long[] next = new long[partitions];
        for (Rec r : records.subList(0, n)) {
            next[r.partition()] = r.offset() + 1;
        }
        return next;
    }

    /** Each key's latest record among the first {@code n}, tombstoned keys left out, in order of that record. */
    Map<String, Rec> latest(int n) {
        Map<String, Rec> latest = new LinkedHashMap<>();
        for (Rec r : records.subList(0, n)) {
            latest.remove(r.key());
            if (!r.tombstone()) {
                latest.put(r.key(), r);
            }
        }
        return latest;
    }

    /** Applies record {@code i} to {@code state} as the hub would. */
    void apply(KeyedState state, int i) {
        Rec r = records.get(i);
        if (r.tombstone()) {
            state.remove(r.key(), r.partition(), r.offset());
        } else {
            state.put(r.entry());
        }
    }
}
