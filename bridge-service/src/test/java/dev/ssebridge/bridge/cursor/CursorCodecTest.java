package dev.ssebridge.bridge.cursor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ssebridge.bridge.channel.Channel;
import dev.ssebridge.bridge.channel.ChannelFamily;
import dev.ssebridge.bridge.channel.ChannelTag;
import dev.ssebridge.bridge.channel.Channels;
import dev.ssebridge.bridge.support.ChannelBuilder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class CursorCodecTest {

    private static final Channel TRAINING = channel("training");
    private static final Channel BACKTEST = channel("backtest");
    private static final Channel ALERTS = channel("alerts");
    private static final Channel DASHBOARD = channel("dashboard");
    private final CursorCodec codec = new CursorCodec(new Channels(List.of(TRAINING, BACKTEST, ALERTS, DASHBOARD), List.of()));

    @Test
    void randomPositionVectorsRoundTrip() {
        long seed = System.nanoTime();
        SplittableRandom random = new SplittableRandom(seed);
        List<Channel> all = List.of(TRAINING, BACKTEST, ALERTS, DASHBOARD);
        for (int run = 0; run < 5_000; run++) {
            Map<Channel, long[]> positions = new LinkedHashMap<>();
            List<Channel> shuffled = new ArrayList<>(all);
            java.util.Collections.shuffle(shuffled, new java.util.Random(random.nextLong()));
            for (Channel channel : shuffled.subList(0, 1 + random.nextInt(all.size()))) {
                long[] offsets = new long[1 + random.nextInt(32)];
                for (int p = 0; p < offsets.length; p++) {
                    offsets[p] = switch (random.nextInt(4)) {
                        case 0 -> 0;
                        case 1 -> random.nextLong(1_000);
                        case 2 -> random.nextLong(CursorCodec.MAX_OFFSET);
                        default -> CursorCodec.MAX_OFFSET - 1 - random.nextLong(10);
                    };
                }
                positions.put(channel, offsets);
            }
            Map<Channel, Integer> incarnations = new LinkedHashMap<>();
            positions.keySet().forEach(channel -> incarnations.put(channel, random.nextInt(3) == 0
                    ? TopicIncarnation.UNKNOWN : random.nextInt()));
            Cursor cursor = Cursor.of(positions, incarnations);

            String encoded = codec.encode(cursor);

            assertThat(codec.decode(encoded)).as("seed %d run %d: %s", seed, run, cursor).isEqualTo(cursor);
            assertThat(encoded).matches("[A-Za-z0-9_-]+");
        }
    }

    @Test
    void singleChannelEncodingEqualsTheGeneralOne() {
        long[] offsets = {5, 7, 1_000_000};
        assertThat(codec.encode(TRAINING, 77, offsets)).isEqualTo(codec.encode(Cursor.of(TRAINING, 77, offsets)));
    }

    @Test
    void theTopicIncarnationTravelsWithTheOffsetsAndAVersion1CursorHasNone() {
        String current = codec.encode(TRAINING, 0x7eadbeef, new long[] {5, 7});
        assertThat(codec.decode(current).incarnation(TRAINING)).isEqualTo(0x7eadbeef);
        assertThat(codec.decode(current).positions(TRAINING)).containsExactly(5, 7);

        // Written before incarnations (version 1): same offsets, incarnation unknown, so taken as the current topic's.
        int tag = TRAINING.tag();
        Cursor old = codec.decode(withChecksum(1, tag >>> 8, tag & 0xFF, 2, 5, 4));
        assertThat(old.positions(TRAINING)).containsExactly(5, 7);
        assertThat(old.incarnation(TRAINING)).isEqualTo(TopicIncarnation.UNKNOWN);
        assertThat(TopicIncarnation.differs(old.incarnation(TRAINING), 0x7eadbeef)).isFalse();
        assertThat(TopicIncarnation.differs(0x7eadbeef, 0x7eadbeef)).isFalse();
        assertThat(TopicIncarnation.differs(0x7eadbeef, 0x1234)).isTrue();
    }

    @Test
    void anIncarnationIsADigestOfTheTopicIdThatIsNeverUnknownForARealId() {
        assertThat(TopicIncarnation.of(0, 0)).as("Kafka's ZERO_UUID: no topic ids").isEqualTo(TopicIncarnation.UNKNOWN);
        assertThat(TopicIncarnation.of(0x1234_5678_0000_0000L, 0x1234_5678L)).as("folds to 0").isNotZero();
        SplittableRandom random = new SplittableRandom(7);
        java.util.Set<Integer> seen = new java.util.HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            seen.add(TopicIncarnation.of(random.nextLong(), random.nextLong()));
        }
        assertThat(seen).hasSizeGreaterThan(9_990).doesNotContain(TopicIncarnation.UNKNOWN);
    }

    @Test
    void fourTopicsOfThreePartitionsNearAMillionStayShort() {
        Map<Channel, long[]> positions = new LinkedHashMap<>();
        positions.put(TRAINING, new long[] {1_000_123, 1_000_456, 999_874});
        positions.put(BACKTEST, new long[] {1_002_000, 1_001_000, 1_003_000});
        positions.put(ALERTS, new long[] {998_001, 999_999, 1_000_000});
        positions.put(DASHBOARD, new long[] {1_000_000, 1_000_007, 1_000_011});

        Map<Channel, Integer> incarnations = new LinkedHashMap<>();
        positions.keySet().forEach(channel -> incarnations.put(channel, -1));
        String encoded = codec.encode(Cursor.of(positions, incarnations));

        // The README states these sizes.
        assertThat(encoded.length()).isLessThanOrEqualTo(82);
        assertThat(Base64.getUrlDecoder().decode(encoded)).hasSizeLessThanOrEqualTo(61);
        assertThat(codec.encode(TRAINING, -1, positions.get(TRAINING))).hasSizeLessThanOrEqualTo(26);
    }

    @Test
    void everyMalformedCursorIsRefusedWithAReason() {
        String valid = codec.encode(Cursor.of(Map.of(TRAINING, new long[] {10, 20, 30}, ALERTS, new long[] {4}),
                Map.of(TRAINING, 11, ALERTS, -12)));
        byte[] raw = Base64.getUrlDecoder().decode(valid);
        long seed = System.nanoTime();
        SplittableRandom random = new SplittableRandom(seed);
        List<String> malformed = new ArrayList<>(List.of("", "!!!", "====", "a", "AQ", valid + "x", valid.substring(1),
                valid.substring(0, valid.length() - 1), "A".repeat(CursorCodec.MAX_LENGTH + 1), " " + valid));
        for (int i = 0; i < 2_000; i++) {
            byte[] copy = raw.clone();
            switch (i % 4) {
                case 0 -> copy[random.nextInt(copy.length)] ^= (byte) (1 + random.nextInt(255));
                case 1 -> copy = java.util.Arrays.copyOf(copy, random.nextInt(copy.length));
                case 2 -> {
                    copy = new byte[random.nextInt(1, 64)];
                    for (int b = 0; b < copy.length; b++) {
                        copy[b] = (byte) random.nextInt(256);
                    }
                }
                default -> copy[0] = (byte) (3 + random.nextInt(250));
            }
            malformed.add(Base64.getUrlEncoder().withoutPadding().encodeToString(copy));
        }

        for (String cursor : malformed) {
            assertThatThrownBy(() -> codec.decode(cursor)).as("seed %d: %s", seed, cursor)
                    .isInstanceOf(MalformedCursorException.class)
                    .hasMessageStartingWith("cursor");
        }
    }

    @Test
    void checksumProtectedButStructurallyWrongCursorsAreNamed() {
        assertThatThrownBy(() -> codec.decode(withChecksum(1, 0x12, 0x34, 1, 0)))
                .hasMessageContaining("does not serve");
        int tag = TRAINING.tag();
        assertThatThrownBy(() -> codec.decode(withChecksum(1, tag >>> 8, tag & 0xFF, 0)))
                .hasMessageContaining("0 partitions");
        assertThatThrownBy(() -> codec.decode(withChecksum(1, tag >>> 8, tag & 0xFF, 2, 5, 11)))
                .hasMessageContaining("offset -1");
        assertThatThrownBy(() -> codec.decode(withChecksum(1, tag >>> 8, tag & 0xFF, 1, 0, tag >>> 8, tag & 0xFF, 1, 0)))
                .hasMessageContaining("twice");
        assertThatThrownBy(() -> codec.decode(withChecksum(1)))
                .hasMessageContaining("no channel");
        assertThatThrownBy(() -> codec.decode(withChecksum(3, 0, 0)))
                .hasMessageContaining("version 3");
        assertThatThrownBy(() -> codec.decode(withChecksum(2, tag >>> 8, tag & 0xFF, 0, 0, 1)))
                .as("version 2 without its incarnation").hasMessageContaining("truncated");
    }

    @Test
    void aFamilyMemberIsNamedByItsFamilyAndValueSoAnyInstanceResumesIt() {
        ChannelFamily family = new ChannelFamily("backtests", "bt.", ".v1", "strategy", Pattern.compile("[a-z-]+"),
                "backtest_progress", null, ChannelTag.of("backtests"));
        CursorCodec withFamily = new CursorCodec(new Channels(List.of(TRAINING), List.of(family)));
        Channel momentum = family.member("momentum").orElseThrow();
        Channel carry = family.member("carry-2x").orElse(null);
        assertThat(carry).as("outside the allow-list").isNull();
        Cursor cursor = Cursor.of(new LinkedHashMap<>(Map.of(momentum, new long[] {3, 9})), Map.of(momentum, 42));
        String encoded = withFamily.encode(cursor);
        Cursor decoded = withFamily.decode(encoded);
        assertThat(decoded).isEqualTo(cursor);
        Channel back = decoded.channels().iterator().next();
        assertThat(back.topic()).isEqualTo("bt.momentum.v1");
        assertThat(back.family()).isEqualTo("backtests");
        assertThat(withFamily.encode(momentum, 42, new long[] {3, 9})).isEqualTo(encoded);

        int member = ChannelTag.MEMBER;
        int tag = family.tag();
        assertThatThrownBy(() -> withFamily.decode(withChecksum(1, member >>> 8, member & 0xFF, 0x12, 0x35, 1, 'a', 1, 0)))
                .as("no such family").hasMessageContaining("family of topics this bridge does not serve");
        assertThatThrownBy(() -> withFamily.decode(withChecksum(1, member >>> 8, member & 0xFF, tag >>> 8, tag & 0xFF, 1,
                'A', 1, 0))).as("outside the allow-list").hasMessageContaining("does not serve");
        assertThatThrownBy(() -> withFamily.decode(withChecksum(1, member >>> 8, member & 0xFF, tag >>> 8, tag & 0xFF, 0,
                1, 0))).hasMessageContaining("0 bytes");
        assertThatThrownBy(() -> withFamily.decode(withChecksum(1, member >>> 8, member & 0xFF, tag >>> 8, tag & 0xFF, 9,
                'a'))).hasMessageContaining("truncated");
        assertThatThrownBy(() -> codec.decode(encoded)).as("a bridge without the family")
                .isInstanceOf(MalformedCursorException.class);
    }

    private static String withChecksum(int... bytes) {
        byte[] body = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            body[i] = (byte) bytes[i];
        }
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(body);
        int sum = (int) crc.getValue();
        byte[] out = java.util.Arrays.copyOf(body, body.length + 4);
        out[body.length] = (byte) (sum >>> 24);
        out[body.length + 1] = (byte) (sum >>> 16);
        out[body.length + 2] = (byte) (sum >>> 8);
        out[body.length + 3] = (byte) sum;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(out);
    }

    private static Channel channel(String name) {
        return ChannelBuilder.channel(name).topic("topic." + name).eventName(name + "_event").build();
    }
}
