package dev.ssebridge.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SseScannerTest {

    private record Seen(SseScanner.EventKind kind, long seq, long sent) {
    }

    private static final String STREAM = """
            retry: 2500
            id: AAA
            event: connected
            data: {"event":"connected","data":{"client_id":"c"}}

            id: BBB
            event: bench_event
            data: {"event":"bench_event","data":{"seq":41,"sent_us":1700000000123456,"pad":"x"},"timestamp":"t"}

            event: ping
            data: {"event":"ping"}

            id: CCC
            event: stream_end
            data: {"event":"stream_end","data":{"reason":"fell_behind"}}

            """;

    @Test
    void reportsEachEventWithItsNumbersAndKeepsTheLastId() {
        List<Seen> seen = new ArrayList<>();
        SseScanner scanner = new SseScanner((kind, seq, sent) -> seen.add(new Seen(kind, seq, sent)), true);
        scanner.feed(STREAM.getBytes(StandardCharsets.US_ASCII));
        assertThat(seen).containsExactly(
                new Seen(SseScanner.EventKind.CONNECTED, -1, -1),
                new Seen(SseScanner.EventKind.RECORD, 41, 1700000000123456L),
                new Seen(SseScanner.EventKind.PING, -1, -1),
                new Seen(SseScanner.EventKind.STREAM_END, -1, -1));
        assertThat(scanner.lastId()).isEqualTo("CCC");
    }

    @Test
    void eventsSplitAcrossBuffersAnywhereParseTheSame() {
        byte[] bytes = STREAM.getBytes(StandardCharsets.US_ASCII);
        for (int cut = 1; cut < bytes.length; cut += 7) {
            List<Seen> seen = new ArrayList<>();
            SseScanner scanner = new SseScanner((kind, seq, sent) -> seen.add(new Seen(kind, seq, sent)), false);
            scanner.feed(java.util.Arrays.copyOfRange(bytes, 0, cut));
            scanner.feed(java.util.Arrays.copyOfRange(bytes, cut, bytes.length));
            assertThat(seen).hasSize(4);
            assertThat(seen.get(1).seq()).isEqualTo(41);
            assertThat(scanner.lastId()).isNull();
        }
    }

    @Test
    void aLineLongerThanTheBufferGrowsItAndKeepsItsNumbers() {
        String pad = "x".repeat(5000);
        String event = "id: DDD\nevent: bench_event\ndata: {\"data\":{\"pad\":\"" + pad
                + "\",\"seq\":7,\"sent_us\":99}}\n\n";
        byte[] bytes = event.getBytes(StandardCharsets.US_ASCII);
        List<Seen> seen = new ArrayList<>();
        SseScanner scanner = new SseScanner((kind, seq, sent) -> seen.add(new Seen(kind, seq, sent)), true);
        for (int from = 0; from < bytes.length; from += 1000) {
            scanner.feed(java.util.Arrays.copyOfRange(bytes, from, Math.min(bytes.length, from + 1000)));
        }
        assertThat(seen).containsExactly(new Seen(SseScanner.EventKind.RECORD, 7, 99));
        assertThat(scanner.lastId()).isEqualTo("DDD");
    }
}
