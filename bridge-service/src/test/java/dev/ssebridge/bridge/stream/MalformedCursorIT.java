package dev.ssebridge.bridge.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ssebridge.bridge.channel.Channels;
import dev.ssebridge.bridge.cursor.Cursor;
import dev.ssebridge.bridge.cursor.CursorCodec;
import dev.ssebridge.bridge.cursor.TopicIncarnation;
import dev.ssebridge.bridge.support.BridgeFixture;
import dev.ssebridge.bridge.support.RunningBridge;
import dev.ssebridge.bridge.support.SseClient;
import dev.ssebridge.testsupport.TestProducer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import reactor.core.publisher.Flux;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class MalformedCursorIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @RegisterExtension
    final BridgeFixture fixture = BridgeFixture.withPartitions(3);

    @Test
    void everyMalformedCursorIsABadRequestAndTheBridgeCarriesOn() {
        RunningBridge bridge = fixture.bridge();
        TestProducer producer = fixture.producer();
        try (SseClient bystander = bridge.connect("/api/v1/sse/training")) {
            bystander.awaitConnected();
            for (int i = 0; i < 5; i++) {
                producer.send(fixture.topic("training"), "k" + i, "{\"n\":" + i + "}");
            }
            bystander.awaitNamed("training_progress", 5, Duration.ofSeconds(20));
            long seed = System.nanoTime();
            List<String> cursors = malformedCursors(bridge, new SplittableRandom(seed));
            assertThat(cursors).hasSizeGreaterThanOrEqualTo(1_000);

            List<String> failures = Flux.range(0, cursors.size())
                    .flatMap(i -> send(bridge, cursors.get(i), i % 2 == 0)
                            .map(response -> check(cursors.get(i), response)), 16)
                    .filter(problem -> !problem.isEmpty())
                    .collectList()
                    .block(Duration.ofMinutes(2));

            assertThat(failures).as("seed %d", seed).isEmpty();
            // The bridge and the stream that was already open are unaffected.
            producer.send(fixture.topic("training"), "k", "{\"n\":99}");
            bystander.awaitNamed("training_progress", 6, Duration.ofSeconds(20));
            assertThat(bystander.error()).isNull();
            try (SseClient fresh = bridge.connect("/api/v1/sse/training")) {
                fresh.awaitConnected();
            }
        }
    }

    private static reactor.core.publisher.Mono<ResponseEntity<String>> send(RunningBridge bridge, String cursor,
                                                                           boolean asHeader) {
        var spec = asHeader
                ? bridge.webClient().get().uri("/api/v1/sse/training").header("Last-Event-ID", cursor)
                : bridge.webClient().get().uri(b -> b.path("/api/v1/sse/training")
                        .queryParam("last_event_id", "{cursor}").build(cursor));
        return spec.accept(MediaType.TEXT_EVENT_STREAM).exchangeToMono(r -> r.toEntity(String.class));
    }

    private static String check(String cursor, ResponseEntity<String> response) {
        int status = response.getStatusCode().value();
        if (status != 400) {
            return "status " + status + " for " + cursor;
        }
        if (!MediaType.APPLICATION_PROBLEM_JSON.equals(response.getHeaders().getContentType())) {
            return "content type " + response.getHeaders().getContentType() + " for " + cursor;
        }
        JsonNode problem = JSON.readTree(response.getBody());
        if (!problem.get("detail").asString().startsWith("cursor")) {
            return "detail '" + problem.get("detail") + "' for " + cursor;
        }
        return "";
    }

    private static List<String> malformedCursors(RunningBridge bridge, SplittableRandom random) {
        CursorCodec codec = bridge.bean(CursorCodec.class);
        Channels channels = bridge.bean(Channels.class);
        String valid = codec.encode(channels.require("training"), TopicIncarnation.UNKNOWN, new long[] {1, 2, 3});
        byte[] raw = Base64.getUrlDecoder().decode(valid);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            byte[] copy = raw.clone();
            switch (i % 5) {
                case 0 -> copy[random.nextInt(copy.length)] ^= (byte) (1 + random.nextInt(255));
                case 1 -> copy = java.util.Arrays.copyOf(copy, 1 + random.nextInt(copy.length - 1));
                case 2 -> {
                    copy = new byte[random.nextInt(1, 80)];
                    random.nextBytes(copy);
                }
                case 3 -> copy[0] = (byte) (2 + random.nextInt(250));
                default -> copy = java.util.Arrays.copyOf(copy, copy.length + 1 + random.nextInt(8));
            }
            out.add(Base64.getUrlEncoder().withoutPadding().encodeToString(copy));
        }
        // Well-formed and checksummed, but not for this stream or beyond what Kafka has.
        out.add(codec.encode(channels.require("alerts"), TopicIncarnation.UNKNOWN, new long[] {0, 0, 0}));
        out.add(codec.encode(Cursor.of(Map.of(channels.require("training"), new long[] {0, 0, 0},
                channels.require("backtest"), new long[] {0, 0, 0}), Map.of())));
        out.add(codec.encode(channels.require("training"), TopicIncarnation.UNKNOWN, new long[] {0, 0, 0, 0}));
        out.add(codec.encode(channels.require("training"), TopicIncarnation.UNKNOWN, new long[] {0, 1_000_000, 0}));
        out.add(codec.encode(channels.require("training"), TopicIncarnation.UNKNOWN, new long[] {(1L << 59), 0, 0}));
        out.add(withChecksum(new byte[] {1, 0x7a, 0x7b, 1, 0})); // unknown channel tag
        out.add(withChecksum(new byte[] {1}));
        // Not base64url, too long, truncated to nothing.
        out.add("not a cursor!");
        out.add("%%%");
        out.add(valid + "=");
        out.add("A".repeat(CursorCodec.MAX_LENGTH + 1));
        out.add(valid.substring(0, 3));
        return out;
    }

    private static String withChecksum(byte[] body) {
        CRC32 crc = new CRC32();
        crc.update(body);
        int sum = (int) crc.getValue();
        byte[] out = java.util.Arrays.copyOf(body, body.length + 4);
        for (int i = 0; i < 4; i++) {
            out[body.length + i] = (byte) (sum >>> (24 - 8 * i));
        }
        return Base64.getUrlEncoder().withoutPadding().encodeToString(out);
    }
}
