package dev.ssebridge.bridge.kafka;

import dev.ssebridge.bridge.channel.Channel;
import dev.ssebridge.bridge.channel.ChannelFamily;
import dev.ssebridge.bridge.channel.Channels;
import dev.ssebridge.bridge.config.BridgeProperties;
import dev.ssebridge.bridge.hub.ChannelHub;
import dev.ssebridge.bridge.hub.ChannelHubs;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The tails of families' members (see {@link ChannelFamily}): a member's tail starts when a stream first asks for
 * its topic and stops once it has had no stream for its family's idle timeout; at most {@code max-topics} of a
 * family run at once.
 *
 * <p>A stream holds its members from before its start is resolved until it has registered with their hubs (a
 * {@link #hold} lease); from then on its subscription keeps them: a member is stopped only when it has neither
 * leases nor subscribers, and has had none for the idle timeout (measured at each {@link #sweep}). A member's hub
 * exists exactly while its tail runs.
 *
 * <p>A topic is looked up before its tail starts: one that does not exist, or that the bridge may not describe,
 * is a {@link TopicNotServedException}, which the stream answers as it answers a value outside the allow-list.
 * Nothing is kept for it, so requests for many names cost a look-up each and leave nothing behind.
 */
public final class FamilyTails implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(FamilyTails.class);
    /** How long a topic look-up may take before the stream is answered 503. */
    private static final Duration LOOKUP_TIMEOUT = Duration.ofSeconds(10);

    private final Map<String, BridgeProperties.FamilyProperties> settings;
    private final ChannelHubs hubs;
    private final TailFactory factory;
    private final LongSupplier nanos;
    private final Map<String, Counts> counts = new LinkedHashMap<>();
    private final Map<String, Member> members = new HashMap<>(); // guarded by this
    private volatile boolean running;

    /** A running member: its tail and hub, the leases on it, since when it has been idle. Guarded by the owner. */
    private static final class Member {
        final Channel channel;
        final ChannelHub hub;
        final TopicTail tail;
        int leases;
        long idleSinceNanos;

        Member(Channel channel, ChannelHub hub, TopicTail tail) {
            this.channel = channel;
            this.hub = hub;
            this.tail = tail;
        }
    }

    /** What a family's tails have done, for status and metrics. */
    private static final class Counts {
        final LongAdder started = new LongAdder();
        final LongAdder stopped = new LongAdder();
        final LongAdder refusedFull = new LongAdder();
        final LongAdder notServed = new LongAdder();
    }

    FamilyTails(Channels channels, Map<String, BridgeProperties.FamilyProperties> settings, ChannelHubs hubs,
                TailFactory factory, LongSupplier nanos) {
        this.settings = settings;
        this.hubs = hubs;
        this.factory = factory;
        this.nanos = nanos;
        for (ChannelFamily family : channels.families()) {
            counts.put(family.name(), new Counts());
        }
    }

    /**
     * How often {@link #sweep} should run: a quarter of the shortest idle timeout, so a member stops within a
     * quarter beyond its own; between 50 ms and 5 s.
     */
    public static Duration sweepInterval(Map<String, BridgeProperties.FamilyProperties> settings) {
        long shortest = settings.values().stream().mapToLong(f -> f.idleTimeout().toMillis()).min().orElse(20_000);
        return Duration.ofMillis(Math.max(50, Math.min(5_000, shortest / 4)));
    }

    /**
     * Holds the family members of {@code stream}, starting the tails of those not running, until the lease is
     * disposed (a stream disposes it once it has registered with their hubs, or failed to).
     * Errors: {@link TopicNotServedException}, {@link FamilyFullException}, or Kafka's when the topic could not be
     * looked up.
     */
    public Mono<Disposable> hold(List<Channel> stream) {
        List<Channel> wanted = stream.stream().filter(Channel::isMember).toList();
        if (wanted.isEmpty()) {
            return Mono.just(Disposables.disposed());
        }
        return Mono.defer(() -> {
            Disposable.Composite leases = Disposables.composite();
            return Flux.fromIterable(wanted)
                    .concatMap(this::hold)
                    .doOnNext(leases::add)
                    .then(Mono.<Disposable>just(leases))
                    .doOnError(e -> leases.dispose())
                    .doOnCancel(leases::dispose);
        });
    }

    private Mono<Disposable> hold(Channel member) {
        Disposable held = holdRunning(member);
        if (held != null) {
            return Mono.just(held);
        }
        return served(member).flatMap(served -> {
            if (!served) {
                return Mono.error(new TopicNotServedException(member));
            }
            return Mono.fromCallable(() -> start(member));
        });
    }

    /** A lease on the member if its tail runs, or null. */
    private synchronized Disposable holdRunning(Channel member) {
        Member running = members.get(member.name());
        return running == null ? null : lease(running);
    }

    // Caller holds the monitor.
    private Disposable lease(Member member) {
        member.leases++;
        AtomicBoolean released = new AtomicBoolean();
        return () -> {
            if (released.compareAndSet(false, true)) {
                release(member);
            }
        };
    }

    private synchronized void release(Member member) {
        member.leases--;
        member.idleSinceNanos = nanos.getAsLong();
    }

    /** The member's tail while it runs, or null. */
    synchronized TopicTail tail(Channel member) {
        Member running = members.get(member.name());
        return running == null ? null : running.tail;
    }

    /** Whether the topic exists and may be described; an error when Kafka does not answer. */
    private Mono<Boolean> served(Channel member) {
        DescribeTopicsOptions options = new DescribeTopicsOptions().timeoutMs((int) LOOKUP_TIMEOUT.toMillis());
        return factory.access(member).ask(admin -> admin.describeTopics(List.of(member.topic()), options).allTopicNames())
                .map(found -> found.containsKey(member.topic()))
                .onErrorResume(FamilyTails::notServed, e -> Mono.just(false));
    }

    private static boolean notServed(Throwable error) {
        Throwable cause = error.getCause() != null ? error.getCause() : error;
        return error instanceof UnknownTopicOrPartitionException || cause instanceof UnknownTopicOrPartitionException
                || error instanceof TopicAuthorizationException || cause instanceof TopicAuthorizationException
                || error instanceof InvalidTopicException || cause instanceof InvalidTopicException;
    }

    /** Starts the member's tail (unless a stream started it meanwhile), within the family's bound. */
    private synchronized Disposable start(Channel channel) {
        Member known = members.get(channel.name());
        if (known != null) {
            return lease(known);
        }
        if (!running) {
            throw new IllegalStateException("the bridge is stopping");
        }
        BridgeProperties.FamilyProperties family = settings.get(channel.family());
        long active = members.values().stream().filter(m -> m.channel.family().equals(channel.family())).count();
        if (active >= family.maxTopics()) {
            throw new FamilyFullException(channel.family(), family.maxTopics(), family.idleTimeout());
        }
        ChannelHub hub = hubs.member(channel, family.ringMaxEvents(), family.ringMaxBytes().toBytes());
        TopicTail tail;
        try {
            tail = factory.tail(channel, hub);
        } catch (RuntimeException e) {
            hubs.forget(channel);
            throw e;
        }
        Member member = new Member(channel, hub, tail);
        members.put(channel.name(), member);
        counts.get(channel.family()).started.increment();
        tail.start();
        log.info("Family '{}': tail of topic {} started for its first stream ({} of at most {} running)",
                channel.family(), channel.topic(), active + 1, family.maxTopics());
        return lease(member);
    }

    /**
     * Stops the tails of members that have had neither a lease nor a subscriber for their family's idle timeout.
     * Runs periodically ({@link #sweepInterval}).
     */
    public void sweep() {
        long now = nanos.getAsLong();
        List<Member> idle = new ArrayList<>();
        synchronized (this) {
            for (Member member : members.values()) {
                if (member.leases > 0 || member.hub.subscribers() > 0) {
                    member.idleSinceNanos = now;
                } else if (now - member.idleSinceNanos
                        >= settings.get(member.channel.family()).idleTimeout().toNanos()) {
                    idle.add(member);
                }
            }
            for (Member member : idle) {
                members.remove(member.channel.name());
                hubs.forget(member.channel);
                counts.get(member.channel.family()).stopped.increment();
            }
        }
        for (Member member : idle) {
            member.tail.stop();
            log.info("Family '{}': tail of topic {} stopped, idle for {}", member.channel.family(),
                    member.channel.topic(), settings.get(member.channel.family()).idleTimeout());
        }
    }

    /** Why a stream for one of a family's topics was refused, as counted in status and metrics. */
    public enum Refusal { FULL, NOT_SERVED }

    /**
     * A stream for one of the family's topics was answered with a refusal: counted where the answer is written, once
     * per request (the Netty route hands a refused request to WebFlux, which asks again).
     */
    public void refused(String family, Refusal reason) {
        Counts c = counts.get(family);
        if (c != null) {
            (reason == Refusal.FULL ? c.refusedFull : c.notServed).increment();
        }
    }

    /** Each family's figures, in configuration order. */
    public List<FamilyFigures> figures() {
        return counts.keySet().stream().map(this::figures).toList();
    }

    /** What the family's tails stand at now. */
    public FamilyFigures figures(String family) {
        int running = 0;
        int subscribers = 0;
        long ringBytes = 0;
        synchronized (this) {
            for (Member member : members.values()) {
                if (member.channel.family().equals(family)) {
                    running++;
                    subscribers += member.hub.subscribers();
                    ringBytes += member.hub.ringSize()[1];
                }
            }
        }
        Counts c = counts.get(family);
        return new FamilyFigures(family, running, settings.get(family).maxTopics(), subscribers, ringBytes,
                c.started.sum(), c.stopped.sum(), c.refusedFull.sum(), c.notServed.sum());
    }

    /**
     * What a family's tails stand at.
     *
     * @param running     topics whose tail runs now
     * @param maxTopics   at most
     * @param subscribers streams on them now
     * @param ringBytes   what their rings hold
     * @param started     tails started since the bridge started
     * @param stopped     tails stopped after their idle timeout
     * @param refusedFull streams refused because {@code maxTopics} ran
     * @param notServed   streams answered 404: a topic that does not exist or may not be described, a value outside
     *                    the allow-list, or a caller the family's access rule refuses (one answer for all)
     */
    public record FamilyFigures(String family, int running, int maxTopics, int subscribers, long ringBytes,
                                long started, long stopped, long refusedFull, long notServed) {
    }

    @Override
    public synchronized void start() {
        running = true;
    }

    @Override
    public void stop() {
        List<Member> all;
        synchronized (this) {
            running = false;
            all = new ArrayList<>(members.values());
            members.clear();
        }
        for (Member member : all) {
            hubs.forget(member.channel);
            member.tail.stop();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return TailLifecycle.PHASE;
    }
}
