package dev.ssebridge.bridge.kafka;

import dev.ssebridge.bridge.channel.Channel;
import dev.ssebridge.bridge.cursor.Positions;
import dev.ssebridge.bridge.frame.ChannelRecord;
import dev.ssebridge.bridge.frame.DecodedRecord;
import dev.ssebridge.bridge.frame.RecordDecoder;
import dev.ssebridge.bridge.frame.RecordDecoders;
import dev.ssebridge.bridge.frame.WriteBatches;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Replays part of a channel from Kafka for one connection whose cursor is older than the ring: a
 * short-lived consumer (assign + seek, no group) reads each partition from the connection's start up to
 * the tail position at which live events take over, then closes. It also closes when the connection
 * goes away.
 *
 * <p>Every call on a replay's consumer runs on one worker thread of a bounded pool (KafkaConsumer is not
 * thread-safe); only {@code wakeup()} is called from elsewhere. Polls follow the connection's demand,
 * so a slow client holds at most one poll's worth of records in memory.
 */
public final class KafkaReplayReader implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(KafkaReplayReader.class);
    private static final Duration POLL = Duration.ofMillis(100);

    private final KafkaClusters clusters;
    private final RecordDecoders decoders;
    private final Predicate<Channel> keepsHeaders;
    private final Predicate<Channel> carriesTraceContext;
    private final Duration idleTimeout;
    private final Scheduler scheduler;
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicLong sessions = new AtomicLong();
    private final AtomicLong abandoned = new AtomicLong();

    /**
     * @param keepsHeaders whether a channel's records keep their headers (its policy reads them)
     * @param carriesTraceContext whether a channel's events carry their record's {@code traceparent}: replayed, the
     *                            producer's as it is (the fan-out span is the live delivery's)
     */
    KafkaReplayReader(KafkaClusters clusters, RecordDecoders decoders, Predicate<Channel> keepsHeaders,
                      Predicate<Channel> carriesTraceContext,
                      Duration idleTimeout, int maxThreads) {
        this.clusters = clusters;
        this.decoders = decoders;
        this.keepsHeaders = keepsHeaders;
        this.carriesTraceContext = carriesTraceContext;
        this.idleTimeout = idleTimeout;
        // Idle replay threads go after 10 s: replays come in bursts (a reconnect storm), not steadily.
        this.scheduler = Schedulers.newBoundedElastic(maxThreads, 100_000, "kafka-replay", 10);
    }

    /**
     * Records of {@code channel} from each partition's start offset (or {@link Positions#EARLIEST}) up to,
     * not including, {@code until}, and {@link ReplayItem.Gap}s where retention deleted some. Only the
     * partitions in {@code from} are read; the caller marks the end of the whole replay itself (other
     * partitions may still be replayed from the ring after this). Fails with
     * {@link ReplayUnavailableException} when Kafka makes no progress for the idle timeout.
     */
    public Flux<ReplayItem> replay(Channel channel, Map<Integer, Long> from, long[] until) {
        if (from.isEmpty()) {
            return Flux.empty();
        }
        return Flux.create(sink -> {
            Session session = new Session(channel, from, until, sink, scheduler.createWorker());
            sink.onRequest(n -> session.requested());
            sink.onDispose(session::cancel);
        }, FluxSink.OverflowStrategy.BUFFER);
    }

    /** Replay consumers created since start. */
    public long consumersCreated() {
        return sessions.get();
    }

    /** Replays whose client went away before they finished. */
    public long abandoned() {
        return abandoned.get();
    }

    /** Replay consumers open now. */
    public int openConsumers() {
        return open.get();
    }

    @Override
    public void close() {
        scheduler.dispose();
    }

    private final class Session {
        private final Channel channel;
        private final RecordDecoder decoder;
        private final boolean keepHeaders;
        private final boolean traceContext;
        private final Map<Integer, Long> from;
        private final long[] until;
        private final FluxSink<ReplayItem> sink;
        private final Scheduler.Worker worker;
        private volatile KafkaConsumer<byte[], byte[]> consumer;
        private volatile boolean cancelled;
        // Worker thread only:
        private final Set<TopicPartition> active = new HashSet<>();
        private final Map<TopicPartition, Long> lastPositions = new HashMap<>();
        private long lastProgressNanos;
        private boolean finished;

        Session(Channel channel, Map<Integer, Long> from, long[] until, FluxSink<ReplayItem> sink,
                Scheduler.Worker worker) {
            this.channel = channel;
            this.decoder = decoders.of(channel);
            this.keepHeaders = keepsHeaders.test(channel);
            this.traceContext = carriesTraceContext.test(channel);
            this.from = from;
            this.until = until;
            this.sink = sink;
            this.worker = worker;
        }

        void pump() {
            if (cancelled || finished) {
                return;
            }
            try {
                if (consumer == null) {
                    open();
                }
                // Waiting for the client is not Kafka's fault: the idle clock runs only while there is demand.
                lastProgressNanos = System.nanoTime();
                while (!cancelled && !finished && sink.requestedFromDownstream() > 0) {
                    if (active.isEmpty()) {
                        finish();
                        return;
                    }
                    pollOnce();
                }
            } catch (WakeupException e) {
                // cancel() woke the consumer up; it closes it next.
            } catch (RuntimeException e) {
                fail(e);
            }
        }

        private void open() {
            Map<String, Object> props = clusters.of(channel).clients().consumer("replay-" + channel.name() + "-" + sessions.incrementAndGet());
            // Out-of-range must surface as a gap, never be reset over silently.
            props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
            props.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) idleTimeout.toMillis());
            consumer = new KafkaConsumer<>(props);
            open.incrementAndGet();
            List<TopicPartition> partitions = new ArrayList<>();
            from.keySet().forEach(p -> partitions.add(new TopicPartition(channel.topic(), p)));
            consumer.assign(partitions);
            Map<TopicPartition, Long> beginning = consumer.beginningOffsets(partitions);
            for (TopicPartition tp : partitions) {
                long start = from.get(tp.partition());
                long first = beginning.get(tp);
                if (start == Positions.EARLIEST) {
                    start = first;
                } else if (start < first) {
                    sink.next(new ReplayItem.Gap(channel, tp.partition(), start, first));
                    start = first;
                }
                consumer.seek(tp, start);
                lastPositions.put(tp, start);
                if (start < until[tp.partition()]) {
                    active.add(tp);
                }
            }
            consumer.pause(partitions.stream().filter(tp -> !active.contains(tp)).toList());
            lastProgressNanos = System.nanoTime();
        }

        private void pollOnce() {
            List<ChannelRecord> polled = new ArrayList<>();
            try {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
                    int p = record.partition();
                    if (record.offset() >= until[p]) {
                        continue; // live events take over from here
                    }
                    DecodedRecord decoded = decoder.decode(p, record.offset(), record.timestamp(), record.key(),
                            record.value(), keepHeaders ? RecordHeaders.of(record.headers()) : null,
                            traceContext ? RecordHeaders.traceparent(record.headers()) : null);
                    if (decoded instanceof DecodedRecord.Deliverable deliverable) {
                        polled.add(deliverable.record());
                    } else if (decoded instanceof DecodedRecord.Wait wait) {
                        // Not skipped: the client's stream ends with replay_unavailable and it comes back for it.
                        throw new ReplayUnavailableException("replay of channel '" + channel.name() + "' waits: "
                                + wait.reason(), null);
                    }
                }
                emit(polled);
            } catch (OffsetOutOfRangeException e) {
                // Retention deleted records while this replay was reading them.
                Map<TopicPartition, Long> beginning = consumer.beginningOffsets(e.partitions());
                for (TopicPartition tp : e.partitions()) {
                    long requested = consumer.position(tp);
                    sink.next(new ReplayItem.Gap(channel, tp.partition(), requested, beginning.get(tp)));
                    consumer.seek(tp, beginning.get(tp));
                }
            }
            List<TopicPartition> done = new ArrayList<>();
            boolean progressed = false;
            for (TopicPartition tp : active) {
                long position = consumer.position(tp);
                if (position != lastPositions.put(tp, position)) {
                    progressed = true;
                }
                if (position >= until[tp.partition()]) {
                    done.add(tp);
                }
            }
            if (!done.isEmpty()) {
                consumer.pause(done);
                done.forEach(active::remove);
            }
            long now = System.nanoTime();
            if (progressed || !done.isEmpty()) {
                lastProgressNanos = now;
            } else if (now - lastProgressNanos > idleTimeout.toNanos()) {
                throw new ReplayUnavailableException("replay of channel '" + channel.name()
                        + "' made no progress for " + idleTimeout, null);
            }
        }

        /** A poll's records, in runs that leave in one write each. */
        private void emit(List<ChannelRecord> polled) {
            for (List<ChannelRecord> run : WriteBatches.split(polled, ChannelRecord::size)) {
                sink.next(new ReplayItem.Records(channel, run));
            }
        }

        private void finish() {
            finished = true;
            closeConsumer();
            sink.complete();
        }

        private void fail(RuntimeException e) {
            finished = true;
            closeConsumer();
            log.warn("Replay of channel '{}' failed: {}", channel.name(), e.toString());
            sink.error(e instanceof ReplayUnavailableException ? e
                    : new ReplayUnavailableException("replay of channel '" + channel.name() + "' failed", e));
        }

        /**
         * Demand from the connection, on its thread. It can come after the replay ended and its worker was
         * disposed (an operator downstream replenishing its prefetch once it took the last item): then there is
         * nothing to pump, and a rejected task must not be thrown into the requesting thread, whose pipeline it
         * would leave stalled.
         */
        void requested() {
            if (cancelled) {
                return;
            }
            try {
                worker.schedule(this::pump);
            } catch (RejectedExecutionException e) {
                // ended: the worker is gone with its consumer
            }
        }

        /** Called on any thread when the connection goes away or the replay ends. */
        void cancel() {
            cancelled = true;
            KafkaConsumer<byte[], byte[]> c = consumer;
            worker.schedule(() -> {
                if (!finished) {
                    abandoned.incrementAndGet();
                }
            });
            if (c != null) {
                c.wakeup();
            }
            worker.schedule(() -> {
                closeConsumer();
                worker.dispose();
            });
        }

        private void closeConsumer() {
            KafkaConsumer<byte[], byte[]> c = consumer;
            if (c != null) {
                consumer = null;
                try {
                    c.close(Duration.ofSeconds(1));
                } finally {
                    open.decrementAndGet();
                }
            }
        }
    }
}
