package dev.ssebridge.bridge.kafka;

import dev.ssebridge.bridge.channel.Channel;
import dev.ssebridge.bridge.cursor.TopicIncarnation;
import dev.ssebridge.bridge.frame.DecodedRecord;
import dev.ssebridge.bridge.frame.RecordDecoder;
import dev.ssebridge.bridge.hub.ChannelHub;
import dev.ssebridge.bridge.trace.FanoutTracing;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.kafka.receiver.KafkaReceiver;
import reactor.kafka.receiver.ReceiverOptions;
import reactor.kafka.receiver.ReceiverPartition;
import reactor.util.retry.Retry;

/**
 * The one Kafka consumer of a channel: all partitions of its topic by manual assignment, no consumer
 * group, nothing committed.
 *
 * <p>Where it reads from: the first time, each partition from the first record written since the bridge
 * started (not from the end at the moment Kafka first answers: records written during an outage at
 * start-up would be lost to the clients already waiting). After an error, or when the topic gains
 * partitions, the consumer is rebuilt and continues from the hub's positions, so nothing is skipped or
 * repeated; partitions added later are read from their beginning, all their records being new.
 *
 * <p>A topic deleted and re-created with the same name (another topic id, checked with the partition count) is read
 * from its beginning, and the hub starts again in it ({@link ChannelHub#assigned}): offsets of the old topic say
 * nothing of the new one. Until the check notices, the consumer may already read the new topic from the old
 * positions; those records reach live clients and are delivered again after the restart (twice, never lost).
 *
 * <p>A missing topic is waited for; partition counts are checked again at every retry interval. Errors are
 * retried at that interval, except refusals (authentication, authorization: {@link FatalKafkaErrors}), which only
 * an operator fixes: the tail stops in {@link TailState#FAILED} with Kafka's reason, for status and health to show,
 * and starts again (from the hub's positions) once Kafka accepts the bridge's credentials ({@link ClusterAccess}
 * makes one attempt per back-off step for all tails), or, refused a topic, at its own back-off.
 * Records are decoded and published on one thread named after the channel.
 */
final class TopicTail {

    private static final Logger log = LoggerFactory.getLogger(TopicTail.class);
    private static final Duration SKIP_LOG_INTERVAL = Duration.ofSeconds(10);

    private final Channel channel;
    private final ChannelHub hub;
    private final KafkaClients clients;
    private final ClusterAccess access;
    private final RefusalBackoff backoff;
    private final RecordDecoder decoder;
    private final Duration retryInterval;
    private final Scheduler scheduler;
    private final long startedAt;
    private final Clock clock;
    private final boolean keepHeaders;
    private final FanoutTracing tracing; // null: the channel's events carry no trace context
    private volatile TailStatus status;
    private volatile TopicIdentity topic = TopicIdentity.UNKNOWN;
    /** The periodic describe's "no such topic" answers in a row (on one thread at a time: the checks are sequential). */
    private volatile int unknownInARow;
    /** The failure's status once the tail fails (it has stopped then); a fresh one when it starts again. */
    private volatile Sinks.One<TailStatus> failed = Sinks.one();
    /** Authorization refusals in a row, for the back-off. */
    private volatile int refusals;
    /** Started again after a refusal, and not known to read yet: the first record (or a quiet interval) says so. */
    private volatile boolean retrying;
    private Disposable running; // guarded by this
    private Disposable nextAttempt; // guarded by this
    private boolean stopped; // guarded by this

    // Touched only on the tail thread.
    private long lastSkipLogNanos;
    private long skipsSinceLog;

    /**
     * @param keepHeaders whether records keep their headers (the channel's policy reads them)
     * @param tracing     for a channel with trace-context: each record's fan-out span and the context its event
     *                    carries; null otherwise
     */
    TopicTail(Channel channel, ChannelHub hub, KafkaClients clients, ClusterAccess access, RefusalBackoff backoff,
              RecordDecoder decoder, Duration retryInterval, Clock clock, boolean keepHeaders, FanoutTracing tracing) {
        this.keepHeaders = keepHeaders;
        this.tracing = tracing;
        this.channel = channel;
        this.hub = hub;
        this.clients = clients;
        this.access = access;
        this.backoff = backoff;
        this.decoder = decoder;
        this.retryInterval = retryInterval;
        this.scheduler = Schedulers.newSingle("kafka-tail-" + channel.name());
        this.startedAt = clock.millis();
        this.clock = clock;
        this.status = new TailStatus(TailState.STARTING, clock.instant(), null);
    }

    TailStatus status() {
        TailStatus current = status;
        if (current.failure() == TailStatus.Failure.AUTHENTICATION) {
            // The cluster's next attempt, which moves with each refused one.
            ClusterAccess.Refusal refusal = access.refusal();
            return current.nextAttemptAt(refusal == null ? null : refusal.nextAttempt());
        }
        return current;
    }

    /** Any thread: which topic the tail reads. */
    TopicIdentity topic() {
        return topic;
    }

    /**
     * Any thread: the failure's status once the tail has failed (at once if it has), the one it failed with even if
     * it has started again since.
     */
    Mono<TailStatus> whenFailed() {
        return Mono.defer(() -> failed.asMono());
    }

    private void enter(TailState state, String reason) {
        if (status.state() != state) {
            status = new TailStatus(state, clock.instant(), reason);
        } else if (reason != null && !reason.equals(status.reason())) {
            status = new TailStatus(state, status.since(), reason);
        }
    }

    synchronized void start() {
        running = assignments()
                .switchMap(this::receive)
                .doOnNext(this::onRecord)
                .retryWhen(Retry.from(signals -> signals.concatMap(this::retryAfter)))
                .subscribe(record -> { }, this::onFailure);
    }

    /** After a refusal's wait: the tail starts again from the hub's positions. */
    private synchronized void startAgain() {
        if (stopped) {
            return;
        }
        retrying = true;
        failed = Sinks.one();
        status = new TailStatus(TailState.STARTING, clock.instant(), null);
        start();
    }

    /**
     * The tail reads (a record came): a refusal is over. Not when a describe works again: the right to describe a
     * topic is not the right to read it.
     */
    private void reading() {
        if (retrying) {
            retrying = false;
            refusals = 0;
            log.info("Tail of channel '{}' (topic {}) reads again: Kafka accepts it", channel.name(), channel.topic());
        }
    }

    /**
     * When to rebuild the consumer (from the hub's positions) after {@code signal}'s error: never for a fatal
     * one; with a back-off growing from half a second to half a minute while the schema registry does not
     * answer (the count restarts once a record goes through); at the retry interval otherwise.
     */
    private Mono<Long> retryAfter(Retry.RetrySignal signal) {
        Throwable error = signal.failure();
        if (FatalKafkaErrors.isFatal(error)) {
            return Mono.error(error);
        }
        if (error instanceof SchemaRegistryWait wait) {
            long attempt = signal.totalRetriesInARow();
            Duration delay = Duration.ofMillis(Math.min(30_000, 500L << Math.min(attempt, 6)));
            if (status.state() != TailState.WAITING_FOR_SCHEMA_REGISTRY) {
                log.warn("Tail of channel '{}' (topic {}) waits for the schema registry and tries the record again "
                        + "(back-off up to 30 s): {}", channel.name(), channel.topic(), wait.getMessage());
            }
            enter(TailState.WAITING_FOR_SCHEMA_REGISTRY, wait.getMessage());
            return Mono.delay(delay);
        }
        log.warn("Tail of channel '{}' (topic {}) failed, restarting from its positions in {}: {}", channel.name(),
                channel.topic(), retryInterval, error.toString());
        return Mono.delay(retryInterval);
    }

    /**
     * A refusal: the tail stops, says why (once per refusal, then one line per refused attempt; never Kafka's stack
     * trace) and waits for its next attempt. Anything else is a bug: the tail stops for good, with the stack trace.
     * The other channels go on either way.
     */
    private void onFailure(Throwable error) {
        Throwable fatal = FatalKafkaErrors.of(error);
        if (fatal == null) {
            status = new TailStatus(TailState.FAILED, clock.instant(), error.toString(), TailStatus.Failure.ERROR,
                    null);
            failed.tryEmitValue(status);
            log.error("Tail of channel '{}' (topic {}) stopped: {}. Restart the bridge.", channel.name(),
                    channel.topic(), error.toString(), error);
            return;
        }
        Instant now = clock.instant();
        String reason = FatalKafkaErrors.describe(fatal);
        boolean sameRefusal = status.state() == TailState.FAILED && reason.equals(status.reason());
        TailStatus.Failure kind = FatalKafkaErrors.kind(fatal);
        Mono<?> again;
        Instant next = null;
        if (fatal instanceof AuthenticationException refusal) {
            // The cluster's refusal: its one attempt per step wakes every tail it stopped (ClusterAccess logs it).
            access.refused(refusal);
            again = access.whenAccepted();
            if (!sameRefusal) {
                log.info("Tail of channel '{}' (topic {}) stopped: Kafka refused the bridge's credentials; it starts "
                        + "again from its positions once Kafka accepts them", channel.name(), channel.topic());
            }
        } else {
            int attempt = ++refusals;
            Duration wait = backoff.after(attempt);
            next = now.plus(wait);
            again = Mono.delay(wait);
            if (sameRefusal) {
                log.warn("Tail of channel '{}' (topic {}) still refused ({}), attempt {}; next attempt in {}",
                        channel.name(), channel.topic(), reason, attempt, wait);
            } else {
                log.warn("Tail of channel '{}' (topic {}) stopped: Kafka refused it ({}). Next attempt in {}, then at "
                        + "a doubling interval up to {}; streams of the channel are answered 503 meanwhile.",
                        channel.name(), channel.topic(), reason, wait, backoff.max());
            }
        }
        status = new TailStatus(TailState.FAILED, sameRefusal ? status.since() : now, reason, kind, next);
        failed.tryEmitValue(status);
        synchronized (this) {
            if (!stopped) {
                nextAttempt = again.subscribe(ignored -> { }, ignored -> { }, this::startAgain);
            }
        }
    }

    synchronized void stop() {
        stopped = true;
        if (nextAttempt != null) {
            nextAttempt.dispose();
        }
        if (running != null) {
            running.dispose();
        }
        scheduler.dispose();
    }

    /**
     * The topic's partitions: once the topic exists, then again whenever their number or the topic's id changes
     * (checked at every retry interval; a failed check is skipped, the tail keeps reading).
     */
    private Flux<Layout> assignments() {
        // Not Flux.interval: a check that outlasts the interval (Kafka down, 10 s timeout) would overflow it.
        Flux<Layout> later = Mono.delay(retryInterval)
                .then(describe()
                        .doOnNext(layout -> unknownInARow = 0)
                        // Deleted only when two checks in a row say so: one answer may come from a broker whose
                        // metadata lags behind the others'.
                        .onErrorResume(e -> isUnknownTopic(e) && ++unknownInARow >= 2 ? Mono.just(Layout.DELETED)
                                : Mono.empty()))
                .repeat();
        return Flux.concat(partitions(), later)
                .distinctUntilChanged(layout -> List.of(String.valueOf(layout.id()), layout.partitions().size()))
                .doOnNext(this::noteLayout);
    }

    private void noteLayout(Layout layout) {
        if (layout == Layout.DELETED) {
            // The consumer would fetch it over and over (a warning each time); the next describe that finds the
            // topic again starts a new one.
            enter(TailState.WAITING_FOR_TOPIC, null);
            log.warn("Topic {} of channel '{}' was deleted; the tail stops reading it and checks every {} whether it "
                    + "is back", channel.topic(), channel.name(), retryInterval);
            return;
        }
        TopicIdentity before = topic;
        if (before.id() != null && !before.id().equals(layout.id())) {
            log.warn("Topic {} of channel '{}' was deleted and re-created (topic id {}, was {}): the tail reads the new "
                    + "topic from its beginning; live streams end with stream_end topic_recreated, and cursors of the "
                    + "old topic resume at the new one's beginning", channel.topic(), channel.name(), layout.id(),
                    before.id());
            topic = new TopicIdentity(layout.id(), clock.instant());
        } else {
            topic = new TopicIdentity(layout.id(), before.recreatedAt());
        }
        log.info("Topic {} of channel '{}' has {} partitions", channel.topic(), channel.name(),
                layout.partitions().size());
    }

    private Mono<Layout> describe() {
        return access.ask(admin -> admin.describeTopics(List.of(channel.topic())).allTopicNames())
                .map(descriptions -> toLayout(descriptions.get(channel.topic())));
    }

    /** The topic's partitions, once the topic exists; retried while it does not or Kafka is unreachable. */
    private Mono<Layout> partitions() {
        return describe()
                .retryWhen(Retry.fixedDelay(Long.MAX_VALUE, retryInterval)
                        .filter(error -> !FatalKafkaErrors.isFatal(error))
                        .doBeforeRetry(signal -> {
                            Throwable cause = signal.failure();
                            if (isUnknownTopic(cause)) {
                                enter(TailState.WAITING_FOR_TOPIC, null);
                                log.warn("Topic {} of channel '{}' does not exist; checking again every {}",
                                        channel.topic(), channel.name(), retryInterval);
                            } else {
                                log.warn("Cannot describe topic {} of channel '{}', retrying in {}: {}",
                                        channel.topic(), channel.name(), retryInterval, cause.toString());
                            }
                        }));
    }

    private Layout toLayout(TopicDescription description) {
        List<TopicPartition> partitions = description.partitions().stream()
                .map(p -> new TopicPartition(channel.topic(), p.partition()))
                .toList();
        Uuid id = description.topicId();
        return new Layout(id.toString(), TopicIncarnation.of(id.getMostSignificantBits(), id.getLeastSignificantBits()),
                partitions);
    }

    private static boolean isUnknownTopic(Throwable error) {
        return error instanceof UnknownTopicOrPartitionException
                || error.getCause() instanceof UnknownTopicOrPartitionException;
    }

    /**
     * The topic as described: its id, the incarnation the cursors name ({@link TopicIncarnation}), its partitions; or
     * {@link #DELETED}, no partitions to read.
     */
    private record Layout(String id, int incarnation, List<TopicPartition> partitions) {
        static final Layout DELETED = new Layout(null, TopicIncarnation.UNKNOWN, List.of());
    }

    private Flux<ConsumerRecord<byte[], byte[]>> receive(Layout layout) {
        if (layout == Layout.DELETED) {
            return Flux.never(); // until the topic is back (switchMap drops the previous consumer meanwhile)
        }
        List<TopicPartition> partitions = layout.partitions();
        Map<String, Object> props = clients.consumer("tail-" + channel.name());
        ReceiverOptions<byte[], byte[]> options = ReceiverOptions.<byte[], byte[]>create(props)
                .assignment(partitions)
                .addAssignListener(assigned -> onAssigned(layout.incarnation(), assigned))
                // Nothing is ever acknowledged; these make sure nothing is committed either.
                .commitInterval(Duration.ZERO)
                .commitBatchSize(0)
                .schedulerSupplier(() -> scheduler);
        KafkaReceiver<byte[], byte[]> receiver = KafkaReceiver.create(options);
        return Flux.merge(receiver.receive().map(record -> record), bootstrapChecks(receiver, partitions));
    }

    /**
     * While a state channel's tail reads what the topic held at start, its consumer's positions, every second:
     * they pass offsets no record is delivered for (transaction markers), which the hub cannot see.
     */
    private Flux<ConsumerRecord<byte[], byte[]>> bootstrapChecks(KafkaReceiver<byte[], byte[]> receiver,
                                                                 List<TopicPartition> partitions) {
        if (!hub.keepsState()) {
            return Flux.empty();
        }
        return Flux.interval(Duration.ofSeconds(1), scheduler)
                .takeUntilOther(hub.whenStateReady())
                .concatMap(tick -> receiver.doOnConsumer(consumer -> {
                    long[] positions = new long[partitions.size()];
                    for (TopicPartition partition : partitions) {
                        positions[partition.partition()] = consumer.position(partition);
                    }
                    return positions;
                }).onErrorResume(e -> Mono.empty()))
                .doOnNext(hub::tailPositions)
                .thenMany(Flux.empty());
    }

    /**
     * Runs on the consumer thread before the first poll: sets where each partition of the topic's incarnation
     * {@code incarnation} starts.
     */
    private void onAssigned(int incarnation, Collection<ReceiverPartition> assigned) {
        // Re-created: every record of the new topic is new, to the state as to the clients.
        boolean recreated = TopicIncarnation.differs(hub.incarnation(), incarnation);
        long[] known = recreated ? null : hub.positions();
        int count = assigned.stream().mapToInt(p -> p.topicPartition().partition()).max().orElse(-1) + 1;
        long[] start = new long[count];
        // A channel that keeps state reads the topic from its beginning when the bridge starts: its state is
        // every key's latest value, not only those written since.
        boolean bootstrap = known == null && !recreated && hub.keepsState();
        long[] ends = new long[count];
        for (ReceiverPartition partition : assigned) {
            int p = partition.topicPartition().partition();
            if (known != null && p < known.length) {
                partition.seek(known[p]);
            } else if (recreated) {
                partition.seekToBeginning();
            } else if (bootstrap) {
                partition.seekToEnd();
                ends[p] = partition.position();
                partition.seekToBeginning();
            } else if (known == null) {
                // Where the first record since start is; without one, where the partition ended BEFORE the look-up:
                // seekToTimestamp falls back to the end as of a later request, past a record written in between.
                partition.seekToEnd();
                long endBefore = partition.position();
                partition.seekToTimestamp(startedAt);
                if (partition.position() > endBefore) {
                    partition.seek(endBefore);
                }
            } else {
                partition.seekToBeginning();
            }
            start[p] = partition.position();
        }
        hub.assigned(incarnation, start, bootstrap ? ends : null, startedAt);
        if (bootstrap) {
            log.info("Tail of channel '{}' builds its state from the start of topic {}: offsets {} to {}",
                    channel.name(), channel.topic(), java.util.Arrays.toString(start), java.util.Arrays.toString(ends));
        }
        if (status.state() != TailState.WAITING_FOR_SCHEMA_REGISTRY) {
            enter(TailState.READING, null);
        }
        log.info("Tail of channel '{}' reading topic {} from positions {}", channel.name(), channel.topic(),
                java.util.Arrays.toString(start));
    }

    private void onRecord(ConsumerRecord<byte[], byte[]> record) {
        // The history a state is built from at start is not delivered live: no fan-out to trace, the producer's own
        // context goes with the record as it is.
        boolean history = tracing != null && hub.readingHistory();
        FanoutTracing.Fanout fanout = tracing == null || history ? null : tracing.start(
                name -> RecordHeaders.last(record.headers(), name), channel.name(), record.topic(), record.partition(),
                record.offset());
        try {
            String outcome = deliver(record, fanout != null ? fanout.traceparent()
                    : history ? RecordHeaders.traceparent(record.headers()) : null);
            if (fanout != null) {
                fanout.end(hub.subscribers(), outcome);
            }
        } catch (RuntimeException e) {
            if (fanout != null) {
                fanout.fail(e);
            }
            throw e;
        }
    }

    /** Decodes and publishes (or skips) the record; says which. */
    private String deliver(ConsumerRecord<byte[], byte[]> record, String traceparent) {
        DecodedRecord decoded = decoder.decode(record.partition(), record.offset(), record.timestamp(), record.key(),
                record.value(), keepHeaders ? RecordHeaders.of(record.headers()) : null, traceparent);
        if (decoded instanceof DecodedRecord.Wait wait) {
            throw new SchemaRegistryWait(wait.reason());
        }
        if (status.state() == TailState.WAITING_FOR_SCHEMA_REGISTRY) {
            log.info("Tail of channel '{}' reads again: the schema registry answers", channel.name());
            enter(TailState.READING, null);
        }
        reading();
        if (decoded instanceof DecodedRecord.Deliverable deliverable) {
            hub.publish(deliverable.record());
            return "published";
        }
        DecodedRecord.Skipped skip = (DecodedRecord.Skipped) decoded;
        hub.skipped(record.partition(), record.offset(), skip.reason());
        logSkip(record, skip);
        return "skipped: " + skip.reason().label();
    }

    /** One line per skipped record would let a bad producer flood the log: at most one per interval. */
    private void logSkip(ConsumerRecord<byte[], byte[]> record, DecodedRecord.Skipped skip) {
        skipsSinceLog++;
        long now = System.nanoTime();
        if (lastSkipLogNanos == 0 || now - lastSkipLogNanos >= SKIP_LOG_INTERVAL.toNanos()) {
            log.warn("Skipped record {}-{}@{} of channel '{}': {} ({}); {} skipped since the last such message",
                    record.topic(), record.partition(), record.offset(), channel.name(), skip.reason().label(),
                    skip.detail(), skipsSinceLog);
            lastSkipLogNanos = now;
            skipsSinceLog = 0;
        }
    }
}
