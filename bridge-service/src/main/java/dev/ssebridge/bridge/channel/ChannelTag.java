package dev.ssebridge.bridge.channel;

import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * The 16-bit tag of a channel inside a cursor: the low bits of the CRC-32 of its name. Derived from the
 * name rather than the configuration order, so instances agree on it whatever order their
 * configuration lists channels in.
 */
public final class ChannelTag {

    /** Marks a family member's entry in a cursor (its family's tag and its value follow); no channel's tag. */
    public static final int MEMBER = 0xFFFF;

    private ChannelTag() {
    }

    public static int of(String channelName) {
        CRC32 crc = new CRC32();
        crc.update(channelName.getBytes(StandardCharsets.UTF_8));
        return (int) (crc.getValue() & 0xFFFF);
    }
}
