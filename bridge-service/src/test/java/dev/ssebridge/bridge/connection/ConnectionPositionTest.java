package dev.ssebridge.bridge.connection;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ssebridge.bridge.channel.Channel;
import dev.ssebridge.bridge.channel.Channels;
import dev.ssebridge.bridge.cursor.CursorCodec;
import dev.ssebridge.bridge.cursor.TopicIncarnation;
import dev.ssebridge.bridge.hub.ChannelEvent;
import dev.ssebridge.bridge.kafka.ReplayItem;
import dev.ssebridge.bridge.support.ChannelBuilder;
import dev.ssebridge.bridge.support.EventBuilder;
import dev.ssebridge.bridge.support.RecordBuilder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConnectionPositionTest {

    private static final Channel TRAINING = channel("training");
    private static final Channel ALERTS = channel("alerts");
    private final CursorCodec codec = new CursorCodec(new Channels(List.of(TRAINING, ALERTS), List.of()));

    @Test
    void aLiveSingleChannelConnectionSendsTheSharedBytesUnchanged() {
        ConnectionPosition position = new ConnectionPosition(List.of(TRAINING), List.of(new long[] {5, 5}), List.of(TopicIncarnation.UNKNOWN), codec, StreamFilter.NONE);
        ChannelEvent event = event(TRAINING, 0, 5, new long[] {6, 5});

        assertThat(position.render(event)).isSameAs(event.frame());
        assertThat(idOf(position.withId(new byte[0], 0))).isEqualTo(codec.encode(TRAINING, TopicIncarnation.UNKNOWN, new long[] {6, 5}));
    }

    @Test
    void eventsBelowThePositionAreDroppedAsAlreadyDelivered() {
        ConnectionPosition position = new ConnectionPosition(List.of(TRAINING), List.of(new long[] {5, 9}), List.of(TopicIncarnation.UNKNOWN), codec, StreamFilter.NONE);

        assertThat(position.render(event(TRAINING, 1, 8, new long[] {5, 9}))).isNull();
    }

    @Test
    void aCursorAheadOfTheTailKeepsItsOffsetsUntilTheTailPassesThem() {
        // Resumed on an instance whose tail is behind on partition 1 (cursor 9, tail 6).
        ConnectionPosition position = new ConnectionPosition(List.of(TRAINING), List.of(new long[] {5, 9}), List.of(TopicIncarnation.UNKNOWN), codec, StreamFilter.NONE);

        byte[] first = position.render(event(TRAINING, 0, 5, new long[] {6, 6}));
        assertThat(idOf(first)).isEqualTo(codec.encode(TRAINING, TopicIncarnation.UNKNOWN, new long[] {6, 9}));
        assertThat(body(first)).isEqualTo("event: x\ndata: {}\n\n");

        assertThat(position.render(event(TRAINING, 1, 6, new long[] {6, 7}))).isNull();
        assertThat(position.render(event(TRAINING, 1, 8, new long[] {6, 9}))).isNull();

        ChannelEvent passed = event(TRAINING, 1, 9, new long[] {6, 10});
        assertThat(position.render(passed)).isSameAs(passed.frame());
    }

    @Test
    void replayedRecordsGetTheirOwnIdAndAdvanceOnlyTheirPartition() {
        ConnectionPosition position = new ConnectionPosition(List.of(TRAINING), List.of(new long[] {3, 7}), List.of(TopicIncarnation.UNKNOWN), codec, StreamFilter.NONE);

        byte[] frame = position.render(RecordBuilder.record(TRAINING, 0, 3).body("event: x\ndata: {}\n\n".getBytes()).build());
        assertThat(idOf(frame)).isEqualTo(codec.encode(TRAINING, TopicIncarnation.UNKNOWN, new long[] {4, 7}));
        assertThat(position.render(RecordBuilder.record(TRAINING, 0, 3).build())).isNull();

        position.caughtUp(TRAINING, new long[] {10, 8});
        assertThat(idOf(position.withId(new byte[0], 0))).isEqualTo(codec.encode(TRAINING, TopicIncarnation.UNKNOWN, new long[] {10, 8}));
    }

    @Test
    void aGapMovesThePositionToTheFirstAvailableOffset() {
        ConnectionPosition position = new ConnectionPosition(List.of(TRAINING), List.of(new long[] {3, 7}), List.of(TopicIncarnation.UNKNOWN), codec, StreamFilter.NONE);

        byte[] frame = position.render(new ReplayItem.Gap(TRAINING, 1, 7, 50), "event: replay_gap\n\n".getBytes());

        assertThat(idOf(frame)).isEqualTo(codec.encode(TRAINING, TopicIncarnation.UNKNOWN, new long[] {3, 50}));
    }

    @Test
    void aConnectionThatSubscribedBeforeTheTopicWasDescribedTakesItsIncarnationFromTheFirstEvent() {
        ConnectionPosition position = new ConnectionPosition(List.of(TRAINING, ALERTS),
                List.of(new long[] {1}, new long[] {2, 2}), List.of(TopicIncarnation.UNKNOWN, 9), codec,
                StreamFilter.NONE);

        byte[] frame = position.render(EventBuilder.event(TRAINING, 0, 1).positionsAfter(2).incarnation(7).build());

        assertThat(codec.decode(idOf(frame)).incarnation(TRAINING)).isEqualTo(7);
        assertThat(codec.decode(idOf(frame)).incarnation(ALERTS)).isEqualTo(9);
    }

    @Test
    void aConnectionThatCameBeforeItsPositionWasKnownSkipsTheHistoryAStateIsBuiltFrom() {
        List<long[]> unknown = new java.util.ArrayList<>();
        unknown.add(null);
        ConnectionPosition position = new ConnectionPosition(List.of(TRAINING), unknown,
                List.of(TopicIncarnation.UNKNOWN), codec, StreamFilter.NONE);

        assertThat(position.render(EventBuilder.event(TRAINING, 0, 0).history().build())).isNull();
        assertThat(position.cursor()).as("the history moves no position").isNull();
        assertThat(position.render(EventBuilder.event(TRAINING, 0, 1).build())).isNotNull();
        assertThat(position.render(EventBuilder.event(TRAINING, 0, 2).history().build()))
                .as("once it stands somewhere, its position decides").isNotNull();
    }

    @Test
    void multiChannelConnectionsEncodeEveryChannelInTheirIds() {
        ConnectionPosition position = new ConnectionPosition(List.of(TRAINING, ALERTS),
                List.of(new long[] {1}, new long[] {2, 2}), List.of(7, 9), codec, StreamFilter.NONE);

        byte[] frame = position.render(event(ALERTS, 1, 2, new long[] {2, 3}));

        assertThat(codec.decode(idOf(frame))).isEqualTo(codec.decode(codec.encode(List.of(TRAINING, ALERTS),
                List.of(7, 9), List.of(new long[] {1}, new long[] {2, 3}))));
    }

    @Test
    void filteredEventsAreNotSentButStillMoveThePositionOn() {
        StreamFilter onlyK = StreamFilter.of(java.util.Map.of(TRAINING, java.util.Set.of("k")), java.util.Map.of(), null);
        ConnectionPosition position = new ConnectionPosition(List.of(TRAINING), List.of(new long[] {5, 5}), List.of(TopicIncarnation.UNKNOWN), codec, onlyK);

        assertThat(position.render(event(TRAINING, 0, 5, new long[] {6, 5}))).as("key null").isNull();
        assertThat(position.render(RecordBuilder.record(TRAINING, 1, 5).key("other").build())).isNull();
        assertThat(idOf(position.withId(new byte[0], 0))).isEqualTo(codec.encode(TRAINING, TopicIncarnation.UNKNOWN, new long[] {6, 6}));
    }

    private static ChannelEvent event(Channel channel, int partition, long offset, long[] after) {
        byte[] id = ("id: shared-" + Arrays.toString(after) + "\n").getBytes(StandardCharsets.US_ASCII);
        byte[] body = "event: x\ndata: {}\n\n".getBytes(StandardCharsets.US_ASCII);
        byte[] frame = Arrays.copyOf(id, id.length + body.length);
        System.arraycopy(body, 0, frame, id.length, body.length);
        return EventBuilder.event(channel, partition, offset).positionsAfter(after).frame(frame, id.length).build();
    }

    private static String idOf(byte[] frame) {
        String text = new String(frame, StandardCharsets.US_ASCII);
        assertThat(text).startsWith("id: ");
        return text.substring(4, text.indexOf('\n'));
    }

    private static String body(byte[] frame) {
        String text = new String(frame, StandardCharsets.US_ASCII);
        return text.substring(text.indexOf('\n') + 1);
    }

    private static Channel channel(String name) {
        return ChannelBuilder.channel(name).eventName("x").build();
    }
}
