package dev.ssebridge.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The swarm's reader finds every event whatever pieces the socket delivers the response in. */
class ChunkedSseReaderTest {

    private static final String HEAD = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n"
            + "Transfer-Encoding: chunked\r\n\r\n";

    @Test
    void readsEveryEventOfAChunkedStreamSplitAtEveryPossibleByte() {
        String body = "id: a1\nretry: 2000\nevent: connected\ndata: {}\n\n"
                + "id: a2\nevent: training_progress\ndata: {\"seq\":0}\n\n"
                + "id: a3\nevent: training_progress\ndata: {\"seq\":1}\n\nevent: ping\ndata: {}\n\n";
        byte[] response = (HEAD + chunk(body.substring(0, 40)) + chunk(body.substring(40, 41))
                + chunk(body.substring(41)) + "0\r\n\r\n").getBytes(StandardCharsets.UTF_8);
        List<String> expected = List.of("connected a1 {}", "training_progress a2 {\"seq\":0}",
                "training_progress a3 {\"seq\":1}", "ping a3 {}");
        for (int split = 0; split <= response.length; split++) {
            List<String> events = new ArrayList<>();
            int[] status = new int[1];
            ChunkedSseReader reader = new ChunkedSseReader(code -> status[0] = code,
                    (name, id, data) -> events.add(name + " " + id + " " + data));
            feed(reader, response, 0, split);
            feed(reader, response, split, response.length);
            assertThat(status[0]).isEqualTo(200);
            assertThat(events).as("split at %d", split).isEqualTo(expected);
        }
    }

    @Test
    void readsEveryEventFedInRandomPieces() {
        StringBuilder body = new StringBuilder();
        StringBuilder response = new StringBuilder(HEAD);
        Random random = new Random(7);
        for (int seq = 0; seq < 500; seq++) {
            String event = "id: x" + seq + "\nevent: e\ndata: {\"seq\":" + seq + ",\"text\":\"é\"}\n\n";
            body.append(event);
            if (random.nextInt(4) == 0 || seq == 499) {
                response.append(chunk(body.toString()));
                body.setLength(0);
            }
        }
        byte[] bytes = response.toString().getBytes(StandardCharsets.UTF_8);
        List<Integer> seqs = new ArrayList<>();
        ChunkedSseReader reader = new ChunkedSseReader(code -> { }, (name, id, data) -> seqs.add(SseSwarm.seqOf(data)));
        for (int at = 0; at < bytes.length; ) {
            int n = Math.min(bytes.length - at, 1 + random.nextInt(300));
            feed(reader, bytes, at, at + n);
            at += n;
        }
        assertThat(seqs).hasSize(500).isSorted().doesNotHaveDuplicates();
    }

    private static void feed(ChunkedSseReader reader, byte[] bytes, int from, int to) {
        byte[] piece = java.util.Arrays.copyOfRange(bytes, from, to);
        reader.feed(piece, piece.length);
    }

    private static String chunk(String text) {
        return Integer.toHexString(text.getBytes(StandardCharsets.UTF_8).length) + "\r\n" + text + "\r\n";
    }
}
