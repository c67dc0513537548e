package dev.ssebridge.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Every interval (10 s): the bridge process's figures (RSS, CPU, heap in use, direct memory, threads, file
 * descriptors, TCP connections and streams; every sixth interval, the heap after a full GC, which jcmd asks for: what
 * the bridge really keeps, the figure a leak shows in), the clients' (deliveries per second, latency of the timestamped
 * records, streams open, problems so far), written as a CSV row; and the freshness check: every client open for the
 * bound has every record the topics held the bound ago (their end offsets then), else it is reported as stalled.
 */
final class SoakSampler {

    /** One interval's figures; -1 where the figure could not be read (the bridge restarting). */
    record Sample(double seconds, long pid, double rssMb, double cpuPercent, double heapAfterGcMb, double heapUsedMb,
                  double directMb, long threads, long fds, long tcpConnections, long streams, long clientsOpen,
                  double deliveriesPerSecond, double p50Ms, double p99Ms, double maxMs, long problems) {

        static final String HEADER = "seconds,pid,rss_mb,cpu_percent,heap_after_full_gc_mb,heap_used_mb,direct_mb,threads,fds,"
                + "tcp_connections,streams,clients_open,deliveries_per_s,p50_ms,p99_ms,max_ms,problems";

        String csv() {
            return String.format(Locale.ROOT, "%.1f,%d,%.1f,%.1f,%.1f,%.1f,%.2f,%d,%d,%d,%d,%d,%.1f,%.1f,%.1f,%.1f,%d",
                    seconds, pid, rssMb, cpuPercent, heapAfterGcMb, heapUsedMb, directMb, threads, fds, tcpConnections,
                    streams, clientsOpen, deliveriesPerSecond, p50Ms, p99Ms, maxMs, problems);
        }
    }

    /** End offsets at one moment, keyed as {@link SoakCursor} keys them, and the last timestamped record acked. */
    private record Ends(long atNanos, Map<Integer, Long> offsets, long lastSeqAcked) {
    }

    private final SoakStack stack;
    private final SoakRun run;
    private final List<SoakClient> clients;
    private final Map<String, String> topicOfChannel;
    private final LongSupplier lastSeqAcked;
    private final Duration bound;
    private final Path csv;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final List<Sample> samples = new ArrayList<>();
    private final Deque<Ends> ends = new ArrayDeque<>();
    private final long startNanos;
    private long lastNanos;
    private long lastDeliveries;
    private long lastPid;
    private long lastCpuTicks;
    private int count;

    /**
     * @param topicOfChannel the topic of every channel the clients stream
     * @param bound          how soon after Kafka has a record every open client must have it
     */
    /** @param startNanos when the soak started: samples are timed from there, as its events are */
    SoakSampler(SoakStack stack, SoakRun run, List<SoakClient> clients, Map<String, String> topicOfChannel,
                LongSupplier lastSeqAcked, Duration bound, Path csv, long startNanos) {
        this.startNanos = startNanos;
        this.lastNanos = System.nanoTime();
        this.stack = stack;
        this.run = run;
        this.clients = clients;
        this.topicOfChannel = topicOfChannel;
        this.lastSeqAcked = lastSeqAcked;
        this.bound = bound;
        this.csv = csv;
        this.consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrap(),
                ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5000, ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, 4000),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        write(Sample.HEADER + "\n", false);
    }

    /** Takes one sample and checks freshness; called by the soak every interval. */
    Sample sample() {
        long now = System.nanoTime();
        Ends current = endOffsets(now);
        if (current != null) {
            ends.addLast(current);
        }
        checkFreshness(now);
        long pid = stack.bridgePid();
        BridgeProbe probe = new BridgeProbe(stack.bridgeUrl(), pid);
        double seconds = (now - startNanos) / 1e9;
        double interval = (now - lastNanos) / 1e9;
        long cpu = probe.cpuTicks();
        double cpuPercent = pid == lastPid && cpu >= 0 && lastCpuTicks >= 0
                ? (cpu - lastCpuTicks) / 100.0 / interval * 100 : -1;
        lastPid = pid;
        lastCpuTicks = cpu;
        double heapAfterGc = -1;
        if (++count % 6 == 0 && pid > 0) {
            probe.fullGc();
            long kb = probe.heapUsedKb();
            heapAfterGc = kb < 0 ? -1 : kb / 1024.0;
        }
        double[] metrics = scrape(probe);
        long deliveries = run.deliveries().sum();
        Histogram latency = run.takeLatency();
        boolean any = latency.getTotalCount() > 0;
        Sample sample = new Sample(seconds, pid, probe.rssKb() / 1024.0, cpuPercent, heapAfterGc,
                metrics[0] / 1048576, metrics[1] / 1048576, probe.threads(), fds(pid), (long) metrics[2],
                (long) metrics[3], clients.stream().filter(SoakClient::isOpen).count(),
                (deliveries - lastDeliveries) / interval,
                any ? latency.getValueAtPercentile(50) / 1000.0 : -1, any ? latency.getValueAtPercentile(99) / 1000.0 : -1,
                any ? latency.getMaxValue() / 1000.0 : -1, run.problems().count());
        lastDeliveries = deliveries;
        lastNanos = now;
        samples.add(sample);
        write(sample.csv() + "\n", true);
        return sample;
    }

    /**
     * Each open client against the end offsets of {@code bound} ago (the newest sample at least that old): a client
     * without them has stalled. Samples older than that one are no longer needed.
     */
    private void checkFreshness(long now) {
        Ends due = null;
        while (!ends.isEmpty() && now - ends.peekFirst().atNanos() >= bound.toNanos()) {
            due = ends.pollFirst();
        }
        if (due == null) {
            return;
        }
        ends.addFirst(due); // may serve the next check too, if no newer one is old enough by then
        for (SoakClient client : clients) {
            String behind = client.behind(due.offsets(), due.lastSeqAcked(), bound);
            if (behind != null) {
                run.problems().add("stalled: client of kind " + client.kind().name() + " lacks, " + bound.toSeconds()
                        + " s after Kafka had them, records it should have: " + behind);
            }
        }
    }

    /** The end offsets of every channel's topic now, or null while the broker does not answer. */
    private Ends endOffsets(long now) {
        long seq = lastSeqAcked.getAsLong();
        try {
            Map<Integer, Long> offsets = new HashMap<>();
            for (Map.Entry<String, String> channel : topicOfChannel.entrySet()) {
                List<TopicPartition> partitions = consumer.partitionsFor(channel.getValue(), Duration.ofSeconds(5))
                        .stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
                int tag = tag(channel.getKey());
                consumer.endOffsets(partitions, Duration.ofSeconds(5))
                        .forEach((tp, end) -> offsets.put(tag * 65536 + tp.partition(), end));
            }
            return new Ends(now, offsets, seq);
        } catch (RuntimeException e) {
            return null; // the broker is down or restarting: no freshness check for this moment
        }
    }

    /** A channel's tag in cursors: the low 16 bits of the CRC-32 of its name (DESIGN.md). */
    static int tag(String channel) {
        CRC32 crc = new CRC32();
        crc.update(channel.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return (int) (crc.getValue() & 0xFFFF);
    }

    /** Heap in use, direct buffers, TCP connections, streams; -1 each when unreadable. */
    private static double[] scrape(BridgeProbe probe) {
        if (!probe.hasPid()) {
            return new double[] {-1, -1, -1, -1};
        }
        try {
            String body = probe.get("/actuator/prometheus");
            return new double[] {sum(body, "jvm_memory_used_bytes", "area=\"heap\""),
                    sum(body, "jvm_buffer_memory_used_bytes", "id=\"direct\""),
                    sum(body, "ssebridge_tcp_connections", ""), sum(body, "ssebridge_admission_open", "")};
        } catch (RuntimeException e) {
            return new double[] {-1, -1, -1, -1};
        }
    }

    private static double sum(String body, String name, String labelPart) {
        return BridgeProbe.sums(body, name, labelPart)[0];
    }

    private static long fds(long pid) {
        if (pid <= 0) {
            return -1;
        }
        try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            return fds.count();
        } catch (IOException e) {
            return -1;
        }
    }

    private void write(String text, boolean append) {
        try {
            if (append) {
                Files.writeString(csv, text, java.nio.file.StandardOpenOption.APPEND);
            } else {
                Files.writeString(csv, text);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    List<Sample> samples() {
        return List.copyOf(samples);
    }

    /** The end offsets now, for the final catch-up (waits for the broker up to a minute). */
    Map<Integer, Long> endsNow() {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        while (System.nanoTime() < deadline) {
            Ends now = endOffsets(System.nanoTime());
            if (now != null) {
                return now.offsets();
            }
        }
        throw new IllegalStateException("the broker did not give end offsets for a minute");
    }

    void close() {
        consumer.close(Duration.ofSeconds(5));
    }
}
