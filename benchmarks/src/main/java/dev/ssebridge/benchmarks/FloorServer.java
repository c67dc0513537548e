package dev.ssebridge.benchmarks;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpHeaderNames;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * The floor: a bare Reactor Netty server that holds SSE streams and does nothing else (no WebFlux, no
 * security, no cursors that survive a restart or another instance, no replay from Kafka). What one of its
 * connections costs is what any stream served on Reactor Netty costs at least, on this machine and JVM.
 *
 * <p>Given a broker and a topic, it also broadcasts the topic the simplest way there is: one plain
 * consumer from the end, each record's SSE frame built once into a shared hot {@code Flux}, every
 * connection writing that frame. That is the least work any Kafka-to-SSE server on Reactor Netty does per
 * delivery; the broadcast and fan-out scenarios against it show what this machine gives at most.
 *
 * <p>It also resumes, the least way there is, so the reconnect storm has a floor too: each frame carries
 * the server's own sequence number as its {@code id:}, the last {@value #RING} frames stay in memory, and a
 * request with {@code Last-Event-ID: n} gets the remembered frames after {@code n}, then the live ones.
 *
 * <pre>java -cp benchmarks.jar -Dloader.main=dev.ssebridge.benchmarks.FloorServer
 *     org.springframework.boot.loader.launch.PropertiesLauncher PORT [BOOTSTRAP TOPIC]</pre>
 */
public final class FloorServer {

    private static final int RING = 4096;

    private FloorServer() {
    }

    public static void main(String[] args) {
        int port = Integer.parseInt(args[0]);
        Recent recent = new Recent();
        Flux<Frame> live = args.length > 2 ? broadcast(args[1], args[2], recent) : Flux.never();
        Flux<byte[]> pings = Flux.interval(Duration.ofSeconds(30)).map(tick -> ascii(":ping\n\n"));
        DisposableServer server = HttpServer.create().port(port)
                .route(routes -> routes.get("/floor", (request, response) -> {
                    String lastId = request.requestHeaders().get("Last-Event-ID");
                    Flux<byte[]> records = lastId == null
                            ? live.map(Frame::bytes)
                            : resumed(Long.parseLong(lastId), live, recent);
                    return response.header(HttpHeaderNames.CONTENT_TYPE, "text/event-stream")
                            .send(Flux.merge(records, pings).startWith(ascii(":connected\n\n"))
                                    .map(frame -> (ByteBuf) Unpooled.wrappedBuffer(frame)));
                }))
                .bindNow();
        server.onDispose().block();
    }

    /**
     * The remembered frames after {@code after}, then the live ones. Live frames are taken before the
     * memory is read (the tail remembers a frame before it publishes it), so none falls between the two;
     * those that arrive in both are dropped from the live side.
     */
    private static Flux<byte[]> resumed(long after, Flux<Frame> live, Recent recent) {
        return Flux.defer(() -> {
            Sinks.Many<Frame> held = Sinks.many().unicast().onBackpressureBuffer();
            Disposable taking = live.subscribe(held::tryEmitNext);
            List<Frame> missed = recent.after(after);
            long last = missed.isEmpty() ? after : missed.get(missed.size() - 1).seq();
            return Flux.fromIterable(missed)
                    .concatWith(held.asFlux().filter(frame -> frame.seq() > last))
                    .map(Frame::bytes)
                    .doFinally(signal -> taking.dispose());
        });
    }

    /** The topic's new records as SSE frames, read by one consumer and shared by every subscriber. */
    private static Flux<Frame> broadcast(String bootstrap, String topic, Recent recent) {
        Sinks.Many<Frame> frames = Sinks.many().multicast().directBestEffort();
        Thread tail = new Thread(() -> TopicFromEnd.read(bootstrap, topic, (value, seq) -> {
            Frame frame = new Frame(seq, frame(seq, value));
            recent.add(frame);
            frames.tryEmitNext(frame);
        }), "floor-tail");
        tail.setDaemon(true);
        tail.start();
        return frames.asFlux();
    }

    private static byte[] frame(long seq, byte[] value) {
        byte[] head = ascii("id: " + seq + "\nevent: bench_event\ndata: ");
        byte[] frame = new byte[head.length + value.length + 2];
        System.arraycopy(head, 0, frame, 0, head.length);
        System.arraycopy(value, 0, frame, head.length, value.length);
        frame[frame.length - 2] = '\n';
        frame[frame.length - 1] = '\n';
        return frame;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private record Frame(long seq, byte[] bytes) {
    }

    /** The last {@value #RING} frames, in sequence order. */
    private static final class Recent {
        private final Frame[] frames = new Frame[RING];
        private long newest;

        synchronized void add(Frame frame) {
            frames[(int) (frame.seq() % RING)] = frame;
            newest = frame.seq();
        }

        synchronized List<Frame> after(long seq) {
            long from = Math.max(seq + 1, Math.max(1, newest - RING + 1));
            Frame[] out = new Frame[(int) Math.max(0, newest - from + 1)];
            for (long s = from; s <= newest; s++) {
                out[(int) (s - from)] = frames[(int) (s % RING)];
            }
            return List.of(out);
        }
    }
}
