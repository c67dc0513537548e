package dev.ssebridge.benchmarks;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpHeaderNames;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * The floor: a bare Reactor Netty server that holds SSE streams and does nothing else (no WebFlux, no
 * security, no cursors, no replay). What one of its connections costs is what any stream served on
 * Reactor Netty costs at least, on this machine and JVM.
 *
 * <p>Given a broker and a topic, it also broadcasts the topic the simplest way there is: one plain
 * consumer from the end, each record's SSE frame built once into a shared hot {@code Flux}, every
 * connection writing that frame. That is the least work any Kafka-to-SSE server on Reactor Netty does per
 * delivery; the broadcast and fan-out scenarios against it show what this machine gives at most.
 *
 * <pre>java -cp benchmarks.jar -Dloader.main=dev.ssebridge.benchmarks.FloorServer
 *     org.springframework.boot.loader.launch.PropertiesLauncher PORT [BOOTSTRAP TOPIC]</pre>
 */
public final class FloorServer {

    private FloorServer() {
    }

    public static void main(String[] args) {
        int port = Integer.parseInt(args[0]);
        Flux<byte[]> records = args.length > 2 ? broadcast(args[1], args[2]) : Flux.never();
        Flux<byte[]> pings = Flux.interval(Duration.ofSeconds(30)).map(tick -> ascii(":ping\n\n"));
        DisposableServer server = HttpServer.create().port(port)
                .route(routes -> routes.get("/floor", (request, response) -> response
                        .header(HttpHeaderNames.CONTENT_TYPE, "text/event-stream")
                        .send(Flux.merge(records, pings).startWith(ascii(":connected\n\n"))
                                .map(frame -> (ByteBuf) Unpooled.wrappedBuffer(frame)))))
                .bindNow();
        server.onDispose().block();
    }

    /** The topic's new records as SSE frames, read by one consumer and shared by every subscriber. */
    private static Flux<byte[]> broadcast(String bootstrap, String topic) {
        Sinks.Many<byte[]> frames = Sinks.many().multicast().directBestEffort();
        Thread tail = new Thread(() -> {
            try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                    ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
                    ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
                    ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false))) {
                List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                        .map(p -> new TopicPartition(topic, p.partition())).toList();
                consumer.assign(partitions);
                consumer.seekToEnd(partitions);
                while (!Thread.currentThread().isInterrupted()) {
                    for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                        frames.tryEmitNext(frame(record.value()));
                    }
                }
            }
        }, "floor-tail");
        tail.setDaemon(true);
        tail.start();
        return frames.asFlux();
    }

    private static byte[] frame(byte[] value) {
        byte[] head = ascii("event: bench_event\ndata: ");
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
}
