package dev.ssebridge.bridge.frame;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ssebridge.bridge.channel.Channel;
import dev.ssebridge.bridge.support.ChannelBuilder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RecordDecoderTest {

    private static final long TS = 1_761_319_800_000L; // 2025-10-24T15:30:00Z
    private static final Channel TRAINING = ChannelBuilder.channel("training").topic("t")
            .eventName("training_progress").build();
    private static final Channel ALERTS = ChannelBuilder.channel("alerts").topic("a")
            .eventName("risk_alert").severityField("severity").build();
    private final RecordDecoder decoder = new RecordDecoder(TRAINING, 1024, null, null);

    @Test
    void embedsTheValueAsItWasProduced() {
        String value = "{\"task_id\":\"t-1\",\"progress\":45.50,\"metrics\":{\"loss\":3.125E-1}}";

        assertThat(body(decoder.decode(0, 0, TS, bytes("t-1"), bytes(value), null))).isEqualTo(
                "event: training_progress\n"
                        + "data: {\"event\":\"training_progress\",\"data\":" + value
                        + ",\"timestamp\":\"2025-10-24T15:30:00Z\"}\n\n");
    }

    @Test
    void aTraceContextFollowsTheTimestampInTheEnvelopeWhereHistoryFindsItToo() {
        String value = "{\"task_id\":\"t-1\"}";
        String traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

        DecodedRecord decoded = decoder.decode(0, 0, TS, null, bytes(value), null, traceparent);

        assertThat(body(decoded)).isEqualTo("event: training_progress\n"
                + "data: {\"event\":\"training_progress\",\"data\":" + value
                + ",\"timestamp\":\"2025-10-24T15:30:00Z\",\"traceparent\":\"" + traceparent + "\"}\n\n");
        ChannelRecord record = ((DecodedRecord.Deliverable) decoded).record();
        assertThat(new String(record.body(), record.valueOffset(), record.valueLength(), StandardCharsets.UTF_8))
                .isEqualTo(value);
        assertThat(SseFrames.envelope(record.body(), 0))
                .isEqualTo(new SseFrames.Envelope("training_progress", value, "2025-10-24T15:30:00Z", traceparent));
        assertThat(SseFrames.envelope(((DecodedRecord.Deliverable) decoder.decode(0, 0, TS, null, bytes(value), null))
                .record().body(), 0).traceparent()).isNull();
    }

    @Test
    void lineBreaksBetweenTokensBecomeSpacesSoTheEventKeepsOneDataLine() {
        String value = "{\r\n  \"a\": 1,\n  \"b\": \"x\\ny\"\r}";

        String body = body(decoder.decode(0, 0, TS, null, bytes(value), null));

        assertThat(body).contains("\"data\":{    \"a\": 1,   \"b\": \"x\\ny\" },");
        assertThat(body.split("\n")).hasSize(2);
    }

    @Test
    void millisecondsAreKeptInTheTimestamp() {
        assertThat(body(decoder.decode(0, 0, TS + 123, null, bytes("1"), null))).contains("\"2025-10-24T15:30:00.123Z\"");
    }

    @Test
    void aByteOrderMarkIsDropped() {
        byte[] withBom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF, '{', '}'};

        assertThat(body(decoder.decode(0, 0, TS, null, withBom, null))).contains("\"data\":{},");
    }

    @ParameterizedTest
    @ValueSource(strings = {"42", "\"text\"", "[1,2]", "null", "true", "  {\"a\":[]}  "})
    void anyJsonDocumentIsDeliverable(String value) {
        assertThat(decoder.decode(0, 0, TS, null, bytes(value), null)).isInstanceOf(DecodedRecord.Deliverable.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "not json", "{\"a\":", "{\"a\":1}}", "{\"a\":1} {\"b\":2}", "{a:1}",
            "[1,2", "{\"a\":\"raw\ttab\"}", "NaN", "'single'"})
    void anythingElseIsSkippedAsInvalidJson(String value) {
        DecodedRecord decoded = decoder.decode(0, 0, TS, null, bytes(value), null);

        assertThat(decoded).isInstanceOfSatisfying(DecodedRecord.Skipped.class,
                skipped -> assertThat(skipped.reason()).isEqualTo(SkipReason.INVALID_JSON));
    }

    @Test
    void invalidUtf8IsSkippedWithItsOwnReason() {
        byte[] value = {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};

        assertThat(decoder.decode(0, 0, TS, null, value, null)).isInstanceOfSatisfying(DecodedRecord.Skipped.class,
                skipped -> assertThat(skipped.reason()).isEqualTo(SkipReason.INVALID_UTF8));
    }

    @Test
    void multibyteUtf8IsFine() {
        assertThat(body(decoder.decode(0, 0, TS, null, bytes("{\"name\":\"Zürich 東京 💹\"}"), null))).contains("Zürich 東京 💹");
    }

    @Test
    void valuesAboveTheLimitAreSkippedAsOversize() {
        byte[] value = bytes("\"" + "x".repeat(1100) + "\"");

        assertThat(decoder.decode(0, 0, TS, null, value, null)).isInstanceOfSatisfying(DecodedRecord.Skipped.class,
                skipped -> assertThat(skipped.reason()).isEqualTo(SkipReason.OVERSIZE));
    }

    @Test
    void tombstonesBecomeDeleteEventsCarryingTheKeyAsJsonAndTheChannel() {
        assertThat(body(decoder.decode(0, 0, TS, bytes("p-\"1\""), null, null))).isEqualTo(
                "event: delete\ndata: {\"event\":\"delete\",\"data\":{\"key\":\"p-\\\"1\\\"\",\"channel\":\"training\"},"
                        + "\"timestamp\":\"2025-10-24T15:30:00Z\"}\n\n");
        assertThat(body(decoder.decode(0, 0, TS, null, null, null))).contains("{\"key\":null,\"channel\":\"training\"}");
    }

    @Test
    void theSeverityFieldIsReadWhileTheValueIsChecked() {
        RecordDecoder alerts = new RecordDecoder(ALERTS, 1024, null, null);

        assertThat(severity(alerts.decode(0, 0, TS, null, bytes("{\"message\":\"x\",\"severity\":\"high\"}"), null))).isEqualTo(2);
        assertThat(severity(alerts.decode(0, 0, TS, null, bytes("{\"nested\":{\"severity\":\"critical\"}}"), null))).isEqualTo(-1);
        assertThat(severity(alerts.decode(0, 0, TS, null, bytes("{\"severity\":\"urgent\"}"), null))).isEqualTo(-1);
        assertThat(severity(alerts.decode(0, 0, TS, null, bytes("{\"severity\":3}"), null))).isEqualTo(-1);
        assertThat(severity(alerts.decode(0, 0, TS, null, bytes("[\"severity\",\"low\"]"), null))).isEqualTo(-1);
        assertThat(alerts.decode(0, 0, TS, null, bytes("{\"severity\":\"low\"} {}"), null)).isInstanceOf(DecodedRecord.Skipped.class);
        assertThat(severity(decoder.decode(0, 0, TS, null, bytes("{\"severity\":\"low\"}"), null))).as("no field configured").isEqualTo(-1);
    }

    private static int severity(DecodedRecord decoded) {
        return ((DecodedRecord.Deliverable) decoded).record().severity();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String body(DecodedRecord decoded) {
        assertThat(decoded).isInstanceOf(DecodedRecord.Deliverable.class);
        return new String(((DecodedRecord.Deliverable) decoded).record().body(), StandardCharsets.UTF_8);
    }
}
