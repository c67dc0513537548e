package dev.ssebridge.bridge.support;

import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.Disposable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A real HTTP SSE client (Spring's WebClient and its SSE decoder) that records what it receives, like
 * an EventSource would see it: each event with its id, name, data and arrival time.
 */
public final class SseClient implements AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final ParameterizedTypeReference<ServerSentEvent<String>> SSE =
            new ParameterizedTypeReference<>() { };

    /** One received event. */
    public record Received(String id, String event, String data, Duration retry, Instant at) {

        public JsonNode json() {
            return JSON.readTree(data);
        }

        /** The record value inside the envelope. */
        public JsonNode payload() {
            return json().get("data");
        }
    }

    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final AtomicReference<Throwable> error = new AtomicReference<>();
    private volatile boolean completed;
    private final Disposable subscription;

    private SseClient(WebClient.RequestHeadersSpec<?> request, Map<String, String> headers) {
        this.subscription = request
                .accept(MediaType.TEXT_EVENT_STREAM)
                .headers(h -> headers.forEach(h::set))
                .retrieve()
                .bodyToFlux(SSE)
                .subscribe(
                        e -> received.add(new Received(e.id(), e.event(), e.data(), e.retry(), Instant.now())),
                        error::set,
                        () -> completed = true);
    }

    /** @param pathAndQuery as typed: WebClient encodes it */
    public static SseClient connect(WebClient client, String pathAndQuery, Map<String, String> headers) {
        return new SseClient(client.get().uri(pathAndQuery), headers);
    }

    /** @param uri already encoded (an expression with {@code &&}, {@code +} or quotes in a parameter) */
    public static SseClient connect(WebClient client, URI uri, Map<String, String> headers) {
        return new SseClient(client.get().uri(uri), headers);
    }

    public List<Received> all() {
        return new ArrayList<>(received);
    }

    /** Received events named {@code event}, in arrival order. */
    public List<Received> named(String event) {
        return received.stream().filter(r -> event.equals(r.event())).toList();
    }

    /** The {@code seq} of every received event named {@code event}, in arrival order. */
    public List<Integer> seqs(String event) {
        return named(event).stream().map(r -> r.payload().get("seq").asInt()).toList();
    }

    /** Waits until {@code count} events named {@code event} have arrived and returns them. */
    public List<Received> awaitNamed(String event, int count, Duration timeout) {
        await().atMost(timeout).pollInterval(Duration.ofMillis(20)).untilAsserted(() -> {
            if (error.get() != null) {
                throw new AssertionError("stream failed", error.get());
            }
            if (named(event).size() < count) {
                List<Received> all = all();
                throw new AssertionError("got " + named(event).size() + " of " + count + " '" + event
                        + "' events; " + all.size() + " events in all, the last: "
                        + all.subList(Math.max(0, all.size() - 3), all.size()));
            }
        });
        return named(event);
    }

    public Received awaitConnected() {
        return awaitNamed("connected", 1, Duration.ofSeconds(10)).get(0);
    }

    /** The id of the last event that carried one: what EventSource would send as Last-Event-ID. */
    public String lastEventId() {
        return lastEventId(all());
    }

    /**
     * The id of the last event of {@code events} that carried one. Use with a snapshot ({@link #all()}) when
     * the client may still be receiving: the id and the events must come from the same moment.
     */
    public static String lastEventId(List<Received> events) {
        String last = null;
        for (Received r : events) {
            if (r.id() != null) {
                last = r.id();
            }
        }
        return last;
    }

    /** The {@code seq} of every event of {@code events} named {@code event}. */
    public static List<Integer> seqs(List<Received> events, String event) {
        return events.stream().filter(r -> event.equals(r.event())).map(r -> r.payload().get("seq").asInt()).toList();
    }

    /** The longest time between two consecutive events of {@code events}, by arrival. */
    public static Duration longestGap(List<Received> events) {
        Duration longest = Duration.ZERO;
        for (int i = 1; i < events.size(); i++) {
            Duration gap = Duration.between(events.get(i - 1).at(), events.get(i).at());
            longest = gap.compareTo(longest) > 0 ? gap : longest;
        }
        return longest;
    }

    public boolean isCompleted() {
        return completed;
    }

    public Throwable error() {
        return error.get();
    }

    @Override
    public void close() {
        subscription.dispose();
    }
}
