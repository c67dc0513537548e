package dev.ssebridge.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The test clients' SSE parser reads events as EventSource does, whatever pieces the bytes come in. */
class SseEventParserTest {

    @Test
    void readsTheFieldsOfAnEventAndIgnoresCommentsAndOtherFields() {
        assertThat(parse(": a comment\nretry: 2000\nid: a1\nevent: training_progress\nfoo: bar\ndata: {\"n\":1}\n\n"))
                .containsExactly(new SseEventParser.Event("training_progress", "{\"n\":1}", "a1"));
    }

    @Test
    void anEventWithoutANameIsAMessageAndOneWithoutDataIsNotDispatched() {
        assertThat(parse("data: x\n\nevent: ping\nid: a2\n\ndata:\n\n")).containsExactly(
                new SseEventParser.Event("message", "x", null),
                new SseEventParser.Event("message", "", "a2"));
    }

    @Test
    void joinsTheLinesOfMultiLineDataAndDropsOnlyTheFirstSpaceAfterTheColon() {
        assertThat(parse("data: first\ndata:second\ndata:  third\n\n"))
                .extracting(SseEventParser.Event::data).containsExactly("first\nsecond\n third");
    }

    @Test
    void theIdSticksToLaterEventsUntilTheStreamSetsAnother() {
        List<SseEventParser.Event> events = new ArrayList<>();
        SseEventParser parser = new SseEventParser(events::add);
        feed(parser, "id: a1\nevent: e\ndata: 1\n\nevent: ping\ndata: {}\n\n");
        assertThat(parser.lastId()).isEqualTo("a1");
        feed(parser, "id: a2\nevent: e\ndata: 2\n\n");

        assertThat(events).extracting(SseEventParser.Event::lastId).containsExactly("a1", "a1", "a2");
        assertThat(parser.lastId()).isEqualTo("a2");
    }

    @Test
    void linesEndWithLfCrLfOrCr() {
        List<SseEventParser.Event> expected = List.of(new SseEventParser.Event("e", "1\n2", "a1"));
        assertThat(parse("id: a1\nevent: e\ndata: 1\ndata: 2\n\n")).isEqualTo(expected);
        assertThat(parse("id: a1\r\nevent: e\r\ndata: 1\r\ndata: 2\r\n\r\n")).isEqualTo(expected);
        assertThat(parse("id: a1\revent: e\rdata: 1\rdata: 2\r\r")).isEqualTo(expected);
        assertThat(parse("id: a1\r\nevent: e\rdata: 1\ndata: 2\r\n\n")).isEqualTo(expected);
    }

    @Test
    void anEventSplitAcrossFeedsAtAnyByteIsReadOnce() {
        String stream = "id: a1\r\nevent: e\r\ndata: {\"text\":\"é\"}\r\n\r\nid: a2\revent: e\rdata: 2\r\rdata: 3\n\n";
        byte[] bytes = stream.getBytes(StandardCharsets.UTF_8);
        List<SseEventParser.Event> whole = parse(stream);
        assertThat(whole).hasSize(3);
        for (int split = 0; split <= bytes.length; split++) {
            List<SseEventParser.Event> events = new ArrayList<>();
            SseEventParser parser = new SseEventParser(events::add);
            parser.feed(Arrays.copyOfRange(bytes, 0, split), 0, split);
            parser.feed(Arrays.copyOfRange(bytes, split, bytes.length), 0, bytes.length - split);
            assertThat(events).as("split at %d", split).isEqualTo(whole);
        }
    }

    @Test
    void feedsAPartOfTheArrayOnly() {
        byte[] bytes = "xxdata: 1\n\nyy".getBytes(StandardCharsets.UTF_8);
        List<SseEventParser.Event> events = new ArrayList<>();
        new SseEventParser(events::add).feed(bytes, 2, bytes.length - 4);
        assertThat(events).containsExactly(new SseEventParser.Event("message", "1", null));
    }

    private static List<SseEventParser.Event> parse(String stream) {
        List<SseEventParser.Event> events = new ArrayList<>();
        feed(new SseEventParser(events::add), stream);
        return events;
    }

    private static void feed(SseEventParser parser, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        parser.feed(bytes, 0, bytes.length);
    }
}
