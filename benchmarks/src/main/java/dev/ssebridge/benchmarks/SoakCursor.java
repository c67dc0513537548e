package dev.ssebridge.benchmarks;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32;

/**
 * An event id read as the soak's oracle reads it: the next offset of every partition of every channel the stream
 * carries, keyed by {@code channel tag * 65536 + partition}. Written from DESIGN.md's cursor layout, not with the
 * bridge's own codec, so that a codec bug cannot hide itself: version 2, then per channel a 2-byte tag, a 4-byte
 * topic incarnation, the partition count and the offsets (the first as a varint, the others as zigzag deltas), and a
 * CRC-32 of all that.
 *
 * @param positions    channel tag * 65536 + partition -> next offset to deliver
 * @param incarnations channel tag -> the topic incarnation the offsets belong to
 */
record SoakCursor(Map<Integer, Long> positions, Map<Integer, Integer> incarnations) {

    private static final Base64.Decoder BASE64 = Base64.getUrlDecoder();

    /** The id's positions; throws IllegalArgumentException, naming why, for an id that is not a cursor. */
    static SoakCursor of(String id) {
        byte[] bytes = BASE64.decode(id.getBytes(StandardCharsets.ISO_8859_1));
        if (bytes.length < 5 || bytes[0] != 2) {
            throw new IllegalArgumentException("not a version 2 cursor: " + id);
        }
        int end = bytes.length - 4;
        CRC32 crc = new CRC32();
        crc.update(bytes, 0, end);
        int stored = (bytes[end] & 0xFF) << 24 | (bytes[end + 1] & 0xFF) << 16 | (bytes[end + 2] & 0xFF) << 8
                | (bytes[end + 3] & 0xFF);
        if ((int) crc.getValue() != stored) {
            throw new IllegalArgumentException("cursor checksum does not match: " + id);
        }
        Map<Integer, Long> positions = new TreeMap<>();
        Map<Integer, Integer> incarnations = new TreeMap<>();
        int[] at = {1};
        while (at[0] < end) {
            if (at[0] + 6 > end) {
                throw new IllegalArgumentException("cursor is truncated: " + id);
            }
            int tag = (bytes[at[0]] & 0xFF) << 8 | (bytes[at[0] + 1] & 0xFF);
            if (tag == 0xFFFF) {
                throw new IllegalArgumentException("cursor names a family member; the soak streams none: " + id);
            }
            int incarnation = (bytes[at[0] + 2] & 0xFF) << 24 | (bytes[at[0] + 3] & 0xFF) << 16
                    | (bytes[at[0] + 4] & 0xFF) << 8 | (bytes[at[0] + 5] & 0xFF);
            at[0] += 6;
            if (incarnations.put(tag, incarnation) != null) {
                throw new IllegalArgumentException("cursor names channel " + tag + " twice: " + id);
            }
            long count = varLong(bytes, at, end);
            long offset = 0;
            for (int p = 0; p < count; p++) {
                long v = varLong(bytes, at, end);
                offset = p == 0 ? v : offset + ((v >>> 1) ^ -(v & 1));
                positions.put(tag * 65536 + p, offset);
            }
        }
        return new SoakCursor(positions, incarnations);
    }

    private static long varLong(byte[] bytes, int[] at, int end) {
        long value = 0;
        for (int shift = 0; ; shift += 7) {
            if (at[0] >= end || shift > 63) {
                throw new IllegalArgumentException("cursor has a truncated or overlong number");
            }
            byte b = bytes[at[0]++];
            value |= (long) (b & 0x7F) << shift;
            if (b >= 0) {
                return value;
            }
        }
    }

    /**
     * How this cursor moved on from {@code before}: for an unfiltered, unconflated stream each event moves exactly
     * one partition on by exactly one offset.
     *
     * @return null when it did exactly that, else what it did instead
     */
    String oneStepFrom(SoakCursor before) {
        String other = sameShape(before);
        if (other != null) {
            return other;
        }
        String moved = null;
        for (Map.Entry<Integer, Long> entry : positions.entrySet()) {
            Long was = before.positions.get(entry.getKey());
            if (was == null) {
                return "position " + name(entry.getKey()) + " appeared";
            }
            long step = entry.getValue() - was;
            if (step == 0) {
                continue;
            }
            if (step < 0) {
                return name(entry.getKey()) + " went back from " + was + " to " + entry.getValue() + " (a repeat)";
            }
            if (step > 1) {
                return name(entry.getKey()) + " skipped offsets " + was + ".." + (entry.getValue() - 2) + " (lost)";
            }
            if (moved != null) {
                return "two positions moved at once: " + moved + " and " + name(entry.getKey());
            }
            moved = name(entry.getKey());
        }
        return moved == null ? "no position moved (a repeat)" : null;
    }

    /**
     * The record an exact step from {@code before} delivered, as {@code (channel tag * 65536 + partition) << 32 |
     * offset}: one key per record of a channel, whichever stream carried it.
     */
    long recordFrom(SoakCursor before) {
        for (Map.Entry<Integer, Long> entry : positions.entrySet()) {
            if (!entry.getValue().equals(before.positions.get(entry.getKey()))) {
                return (long) entry.getKey() << 32 | (entry.getValue() - 1);
            }
        }
        throw new IllegalStateException("no position moved");
    }

    /** Null when no position went back from {@code before} and at least one moved on (a conflated stream). */
    String forwardFrom(SoakCursor before) {
        String other = sameShape(before);
        if (other != null) {
            return other;
        }
        boolean moved = false;
        for (Map.Entry<Integer, Long> entry : positions.entrySet()) {
            Long was = before.positions.get(entry.getKey());
            if (was != null && entry.getValue() < was) {
                return name(entry.getKey()) + " went back from " + was + " to " + entry.getValue() + " (a repeat)";
            }
            moved |= was == null || entry.getValue() > was;
        }
        return moved ? null : "no position moved (a repeat)";
    }

    /**
     * Null when this cursor has the same channels, partitions and topic incarnations as {@code before}: a stream's
     * cursor never loses or gains one (a position gone would be a channel no longer served, unnoticed).
     */
    String sameShape(SoakCursor before) {
        if (!positions.keySet().equals(before.positions.keySet())) {
            return "its positions " + positions.keySet() + " are not those before " + before.positions.keySet();
        }
        return incarnations.equals(before.incarnations) ? null
                : "topic incarnations " + incarnations + " after " + before.incarnations;
    }

    /** Positions behind {@code ends} (key -> end offset), as "tag/partition at x of y", or null when none is. */
    String behind(Map<Integer, Long> ends) {
        StringBuilder behind = new StringBuilder();
        positions.forEach((key, offset) -> {
            Long end = ends.get(key);
            if (end != null && offset < end) {
                behind.append(behind.isEmpty() ? "" : ", ").append(name(key)).append(" at ").append(offset)
                        .append(" of ").append(end);
            }
        });
        return behind.isEmpty() ? null : behind.toString();
    }

    static String name(int key) {
        return "channel " + (key >>> 16) + " partition " + (key & 0xFFFF);
    }
}
