package dev.ssebridge.bridge.cursor;

import dev.ssebridge.bridge.channel.Channel;
import dev.ssebridge.bridge.channel.ChannelFamily;
import dev.ssebridge.bridge.channel.ChannelTag;
import dev.ssebridge.bridge.channel.Channels;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * Writes and reads cursors. Any bridge instance with the same channel names decodes what another wrote,
 * which is what makes instances interchangeable for reconnecting clients.
 *
 * <p>Version 2, before base64url (no padding):
 * <pre>
 *   version      1 byte (= 2)
 *   per channel  tag (2 bytes, {@link dev.ssebridge.bridge.channel.ChannelTag}), or for a member of a family
 *                of topics the tag {@link ChannelTag#MEMBER}, the family's tag (2 bytes) and the member's value
 *                (length as a varint, then UTF-8): the cursor names the topic, so any instance resumes it,
 *                the topic's incarnation (4 bytes, {@link TopicIncarnation}): offsets of a topic since deleted
 *                and re-created are never taken for offsets of the new one,
 *                partition count (varint),
 *                offset of partition 0 (varint), then for each further partition the difference to the
 *                previous one (zigzag varint): partitions of a topic tend to be near each other
 *   checksum     CRC-32 of all the above (4 bytes), so truncated or altered ids are refused, not misread
 * </pre>
 * Four channels of three partitions at offsets near 10^6 take at most 61 bytes: 82 characters. Version 1 (the same
 * without the incarnation) is still read, its incarnations {@link TopicIncarnation#UNKNOWN}: clients holding a cursor
 * from before an upgrade resume as they did.
 */
public final class CursorCodec {

    public static final int VERSION = 2;
    /** The version before topic incarnations, still read. */
    static final int VERSION_1 = 1;
    /** Longest cursor accepted, in characters: room for hundreds of partitions, well inside header limits. */
    public static final int MAX_LENGTH = 4096;
    /** More partitions than any channel of this bridge may have. */
    static final int MAX_PARTITIONS = 10_000;
    /** A family member's value, at most (its allow-list decides what it may be). */
    static final int MAX_VALUE_BYTES = 200;
    /** Offsets at or beyond 2^60 are refused as absurd: no log reaches them. */
    static final long MAX_OFFSET = 1L << 60;

    private static final Base64.Encoder BASE64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder BASE64_DECODER = Base64.getUrlDecoder();

    private final Channels channels;

    public CursorCodec(Channels channels) {
        this.channels = channels;
    }

    /** A single-channel cursor: {@code offsets} of the topic's incarnation {@code incarnation}. */
    public String encode(Channel channel, int incarnation, long[] offsets) {
        Bytes out = new Bytes(12 + offsets.length * 5);
        out.write(VERSION);
        writeChannel(out, channel, incarnation, offsets);
        return finish(out);
    }

    public String encode(Cursor cursor) {
        Bytes out = new Bytes(8 + cursor.raw().size() * 24);
        out.write(VERSION);
        cursor.raw().forEach((channel, offsets) -> writeChannel(out, channel, cursor.incarnation(channel), offsets));
        return finish(out);
    }

    /** Channels in {@code order} with their incarnations and offsets; a convenience for multi-channel streams. */
    public String encode(List<Channel> order, List<Integer> incarnations, List<long[]> offsets) {
        Map<Channel, long[]> map = new LinkedHashMap<>();
        Map<Channel, Integer> topics = new LinkedHashMap<>();
        for (int i = 0; i < order.size(); i++) {
            map.put(order.get(i), offsets.get(i));
            topics.put(order.get(i), incarnations.get(i));
        }
        return encode(Cursor.of(map, topics));
    }

    /**
     * Reads a cursor written by {@link #encode}. Checks its form only; whether its channels and
     * partitions fit a given stream is for the caller.
     *
     * @throws MalformedCursorException naming what is wrong
     */
    public Cursor decode(String text) {
        if (text == null || text.isEmpty()) {
            throw new MalformedCursorException("cursor is empty");
        }
        if (text.length() > MAX_LENGTH) {
            throw new MalformedCursorException("cursor is longer than " + MAX_LENGTH + " characters");
        }
        byte[] bytes;
        try {
            bytes = BASE64_DECODER.decode(text.getBytes(StandardCharsets.ISO_8859_1));
        } catch (IllegalArgumentException e) {
            throw new MalformedCursorException("cursor is not base64url text");
        }
        if (bytes.length == 0) {
            throw new MalformedCursorException("cursor is empty");
        }
        int version = bytes[0] & 0xFF;
        if (version != VERSION && version != VERSION_1) {
            throw new MalformedCursorException("cursor version " + version
                    + " is not supported (this bridge reads versions " + VERSION_1 + " and " + VERSION + ")");
        }
        if (bytes.length < 1 + 4) {
            throw new MalformedCursorException("cursor is truncated");
        }
        int bodyLength = bytes.length - 4;
        CRC32 crc = new CRC32();
        crc.update(bytes, 0, bodyLength);
        if ((int) crc.getValue() != readInt(bytes, bodyLength)) {
            throw new MalformedCursorException("cursor checksum does not match: it was truncated or altered");
        }
        Reader in = new Reader(bytes, 1, bodyLength);
        Map<Channel, long[]> positions = new LinkedHashMap<>();
        Map<Channel, Integer> incarnations = new LinkedHashMap<>();
        while (in.hasMore()) {
            int tag = in.readUnsignedShort();
            Channel channel = tag == ChannelTag.MEMBER ? member(in) : channels.byTag(tag).orElseThrow(() ->
                    new MalformedCursorException("cursor names a channel this bridge does not serve (tag " + tag + ")"));
            incarnations.put(channel, version == VERSION_1 ? TopicIncarnation.UNKNOWN : in.readInt());
            long count = in.readVarLong();
            if (count < 1 || count > MAX_PARTITIONS) {
                throw new MalformedCursorException("cursor gives " + count + " partitions for channel '"
                        + channel.name() + "'");
            }
            long[] offsets = new long[(int) count];
            for (int p = 0; p < count; p++) {
                long offset = p == 0 ? in.readVarLong() : offsets[p - 1] + zigzagDecode(in.readVarLong());
                if (offset < 0 || offset >= MAX_OFFSET) {
                    throw new MalformedCursorException("cursor gives offset " + offset + " for partition " + p
                            + " of channel '" + channel.name() + "'");
                }
                offsets[p] = offset;
            }
            if (positions.put(channel, offsets) != null) {
                throw new MalformedCursorException("cursor names channel '" + channel.name() + "' twice");
            }
        }
        if (positions.isEmpty()) {
            throw new MalformedCursorException("cursor names no channel");
        }
        return Cursor.of(positions, incarnations);
    }

    /** A family member's entry: its family's tag and its value, checked against the family's allow-list. */
    private Channel member(Reader in) {
        int familyTag = in.readUnsignedShort();
        ChannelFamily family = channels.familyByTag(familyTag).orElseThrow(() ->
                new MalformedCursorException("cursor names a family of topics this bridge does not serve (tag "
                        + familyTag + ")"));
        long length = in.readVarLong();
        if (length < 1 || length > MAX_VALUE_BYTES) {
            throw new MalformedCursorException("cursor holds a member of family '" + family.name()
                    + "' with a value of " + length + " bytes");
        }
        String value = in.readUtf8((int) length);
        return family.member(value).orElseThrow(() -> new MalformedCursorException("cursor names a topic of family '"
                + family.name() + "' this bridge does not serve"));
    }

    private void writeChannel(Bytes out, Channel channel, int incarnation, long[] offsets) {
        if (channel.isMember()) {
            // Members are made only by this bridge's families, so the family is always there.
            ChannelFamily family = channels.family(channel.family()).orElseThrow();
            byte[] value = family.valueOf(channel).getBytes(StandardCharsets.UTF_8);
            out.write(ChannelTag.MEMBER >>> 8);
            out.write(ChannelTag.MEMBER);
            out.write(family.tag() >>> 8);
            out.write(family.tag());
            out.writeVarLong(value.length);
            for (byte b : value) {
                out.write(b);
            }
        } else {
            out.write(channel.tag() >>> 8);
            out.write(channel.tag());
        }
        out.writeInt(incarnation);
        out.writeVarLong(offsets.length);
        for (int p = 0; p < offsets.length; p++) {
            out.writeVarLong(p == 0 ? offsets[0] : zigzagEncode(offsets[p] - offsets[p - 1]));
        }
    }

    private static String finish(Bytes out) {
        CRC32 crc = new CRC32();
        crc.update(out.buf, 0, out.size);
        out.writeInt((int) crc.getValue());
        return BASE64.encodeToString(Arrays.copyOf(out.buf, out.size));
    }

    private static int readInt(byte[] b, int at) {
        return (b[at] & 0xFF) << 24 | (b[at + 1] & 0xFF) << 16 | (b[at + 2] & 0xFF) << 8 | (b[at + 3] & 0xFF);
    }

    private static long zigzagEncode(long v) {
        return (v << 1) ^ (v >> 63);
    }

    private static long zigzagDecode(long v) {
        return (v >>> 1) ^ -(v & 1);
    }

    /** A growable byte array; cursors are small, so no pooling. */
    private static final class Bytes {
        byte[] buf;
        int size;

        Bytes(int capacity) {
            buf = new byte[capacity];
        }

        void write(int b) {
            if (size == buf.length) {
                buf = Arrays.copyOf(buf, buf.length * 2);
            }
            buf[size++] = (byte) b;
        }

        void writeInt(int v) {
            write(v >>> 24);
            write(v >>> 16);
            write(v >>> 8);
            write(v);
        }

        void writeVarLong(long v) {
            while ((v & ~0x7FL) != 0) {
                write((int) ((v & 0x7F) | 0x80));
                v >>>= 7;
            }
            write((int) v);
        }
    }

    private static final class Reader {
        private final byte[] buf;
        private final int end;
        private int pos;

        Reader(byte[] buf, int start, int end) {
            this.buf = buf;
            this.pos = start;
            this.end = end;
        }

        boolean hasMore() {
            return pos < end;
        }

        String readUtf8(int length) {
            if (pos + length > end) {
                throw new MalformedCursorException("cursor is truncated");
            }
            String text = new String(buf, pos, length, StandardCharsets.UTF_8);
            pos += length;
            return text;
        }

        int readInt() {
            if (pos + 4 > end) {
                throw new MalformedCursorException("cursor is truncated");
            }
            int v = CursorCodec.readInt(buf, pos);
            pos += 4;
            return v;
        }

        int readUnsignedShort() {
            if (pos + 2 > end) {
                throw new MalformedCursorException("cursor is truncated");
            }
            int v = (buf[pos] & 0xFF) << 8 | (buf[pos + 1] & 0xFF);
            pos += 2;
            return v;
        }

        long readVarLong() {
            long v = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                if (pos >= end) {
                    throw new MalformedCursorException("cursor is truncated");
                }
                byte b = buf[pos++];
                v |= (long) (b & 0x7F) << shift;
                if (b >= 0) {
                    return v;
                }
            }
            throw new MalformedCursorException("cursor holds a malformed number");
        }
    }
}
