package dev.ssebridge.bridge.kafka;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;

/**
 * Whether Kafka accepts the bridge's credentials, and the instance's one Admin client.
 *
 * <p>An authentication refusal seen by any Kafka client of the bridge (a tail's consumer, the admin client) stops
 * the clients that would log in again: the tails stop on it, and the admin client, which would reconnect about once
 * a second for as long as it has requests (each time a failed login at the broker and a stack trace in the log), is
 * closed. Streams and history queries are answered 503 before any other client is made ({@link FailedTails}). From
 * then on one attempt is made per back-off step: the first admin request after the step's time (the
 * {@link KafkaMonitor} makes one at its interval) creates a fresh admin client. Any answer from the broker to it
 * (even a topic's authorization error: the login worked) ends the refusal, and the tails it stopped start again
 * from their positions ({@link #whenAccepted}); a refused attempt doubles the wait, up to the maximum. A login the
 * client could not even make (an OAuth token endpoint refused it, or did not answer: Kafka's login module does not
 * say which) is tried again at the first step's interval, not a growing one: an identity provider's outage ends
 * without an operator. One log line when the refusal starts, one per refused attempt, one when it ends.
 *
 * <p>Authorization refusals (a topic's ACL) concern one topic: the tail of that topic backs off on its own
 * ({@link TopicTail}); the admin client keeps working for the others.
 */
final class ClusterAccess implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ClusterAccess.class);

    /** An authentication refusal in progress, for status and health. */
    record Refusal(String reason, Instant since, int attempts, Instant nextAttempt) {
    }

    private final Supplier<Admin> factory;
    private final RefusalBackoff backoff;
    private final Clock clock;
    /** The refusal in progress as status reads it, without the monitor (which an attempt's login may hold). */
    private volatile Refusal refusal;

    // Guarded by this.
    private Admin admin;
    /** The admin client was created after a refusal's wait: what it is answered is that attempt's outcome. */
    private boolean attempting;
    private AuthenticationException refused;
    private Instant refusedSince;
    private Instant nextAttempt;
    private int refusals;
    /** When Kafka last accepted the bridge after a refusal, and after how many refusals: a refusal soon after goes on. */
    private Instant acceptedAt;
    private int refusalsBeforeAccepted;
    /** Completed while Kafka accepts the bridge; a fresh one per refusal. */
    private Sinks.Empty<Void> accepted = Sinks.empty();
    private boolean closed;
    private final String kafka;

    /** @param kafka how the log lines name the cluster ({@link KafkaClusters#label}) */
    ClusterAccess(String kafka, Supplier<Admin> factory, RefusalBackoff backoff, Clock clock) {
        this.kafka = kafka;
        this.factory = factory;
        this.backoff = backoff;
        this.clock = clock;
        accepted.tryEmitEmpty();
    }

    /**
     * Any thread: {@code request} made with the admin client, its outcome noted (an authentication refusal stops
     * the admin client; an answer while refused ends the refusal). Fails with {@link KafkaRefusedException}, without
     * a network call, while Kafka refuses the bridge and the next attempt is not due. The admin client is had off
     * the caller's thread: making one logs in, which may be an HTTP request to an identity provider, and callers
     * include the event loops serving requests.
     */
    <T> Mono<T> ask(Function<Admin, KafkaFuture<T>> request) {
        return Mono.fromCallable(this::admin)
                .subscribeOn(Schedulers.boundedElastic())
                .flatMap(used -> Mono.fromFuture(request.apply(used).toCompletionStage().toCompletableFuture())
                        .doOnSuccess(answer -> answered(used))
                        .doOnError(error -> failed(used, error)));
    }

    /**
     * Blocking. The admin client, created if there is none; {@link KafkaRefusedException} while Kafka refuses the
     * bridge and the next attempt is not due. Who uses it reports the outcome: {@link #answered} or {@link #failed}.
     */
    synchronized Admin admin() {
        if (closed) {
            throw new IllegalStateException("the bridge's Kafka clients are closed");
        }
        if (refused != null) {
            if (clock.instant().isBefore(nextAttempt)) {
                throw new KafkaRefusedException(refused, nextAttempt);
            }
            attempting = true;
        }
        if (admin == null) {
            try {
                admin = factory.get();
            } catch (RuntimeException e) {
                // A client that cannot log in fails as it is created (an OAuth token endpoint refused it).
                if (FatalKafkaErrors.of(e) instanceof AuthenticationException loginRefused) {
                    refused(loginRefused, attempting);
                }
                throw e;
            }
        }
        return admin;
    }

    /** Kafka answered a request of {@code used}: a refusal in progress has ended. */
    void answered(Admin used) {
        Sinks.Empty<Void> wake;
        synchronized (this) {
            if (refused == null || used != admin || !attempting) {
                return;
            }
            log.info("{} accepts the bridge's credentials again, after {} refused attempt(s) since {}; the tails "
                    + "it refused start again from their positions", kafka, refusals, refusedSince);
            acceptedAt = clock.instant();
            refusalsBeforeAccepted = refusals;
            refused = null;
            refusals = 0;
            attempting = false;
            nextAttempt = null;
            refusal = null;
            wake = accepted;
        }
        wake.tryEmitEmpty();
    }

    /**
     * A request of {@code used} failed: an authentication refusal stops the admin client until the next attempt; a
     * topic's authorization error is the broker's answer to a client it let in.
     */
    void failed(Admin used, Throwable error) {
        Throwable fatal = FatalKafkaErrors.of(error);
        if (fatal instanceof AuthenticationException authentication) {
            synchronized (this) {
                refused(authentication, used == admin && attempting);
            }
        } else if (fatal instanceof AuthorizationException) {
            answered(used);
        }
    }

    /** Any thread: a Kafka client other than the admin one (a tail's consumer) was refused the bridge's credentials. */
    synchronized void refused(AuthenticationException authentication) {
        refused(authentication, false);
    }

    /**
     * Under the monitor: a refusal starts (going on from the last one's count when Kafka accepted the bridge only
     * briefly), or, {@code ofTheAttempt} (the admin client made after the wait was refused), the next step begins.
     */
    private void refused(AuthenticationException authentication, boolean ofTheAttempt) {
        Instant now = clock.instant();
        if (refused == null) {
            boolean soonAfter = acceptedAt != null
                    && now.isBefore(acceptedAt.plus(backoff.after(refusalsBeforeAccepted).multipliedBy(2)));
            refusals = soonAfter ? refusalsBeforeAccepted + 1 : 1;
            refused = authentication;
            refusedSince = now;
            Duration wait = waitAfter(authentication);
            nextAttempt = now.plus(wait);
            accepted = Sinks.empty();
            closeAdmin();
            log.warn("{} refused the bridge's credentials ({}). Its Kafka clients stop; next attempt in {}, then at "
                    + "a doubling interval up to {}. Streams of its channels are answered 503 meanwhile.",
                    kafka, FatalKafkaErrors.describe(authentication), wait, backoff.max());
        } else if (ofTheAttempt) {
            refused = authentication;
            refusals++;
            Duration wait = waitAfter(authentication);
            nextAttempt = now.plus(wait);
            attempting = false;
            closeAdmin();
            log.warn("{} still refuses the bridge's credentials ({}), attempt {}; next attempt in {}",
                    kafka, FatalKafkaErrors.describe(authentication), refusals, wait);
        } else {
            return; // the same refusal, reported late by another client: nothing new
        }
        refusal = new Refusal(FatalKafkaErrors.describe(refused), refusedSince, refusals, nextAttempt);
    }

    /** A login that could not be made is tried again at the first step: its cause may be an outage (see above). */
    private Duration waitAfter(AuthenticationException authentication) {
        return authentication instanceof FatalKafkaErrors.LoginFailedException ? backoff.first()
                : backoff.after(refusals);
    }

    /**
     * Under the monitor. Not on the caller's thread: that may be the admin client's own (a request's callback),
     * which closing would wait for.
     */
    private void closeAdmin() {
        if (admin != null) {
            Admin closing = admin;
            admin = null;
            Schedulers.boundedElastic().schedule(() -> closing.close(Duration.ZERO));
        }
    }

    /** Any thread: completes once Kafka accepts the bridge's credentials (at once while it does). */
    synchronized Mono<Void> whenAccepted() {
        return accepted.asMono();
    }

    /** Any thread, without waiting: the authentication refusal in progress, or null. */
    Refusal refusal() {
        return refusal;
    }

    @Override
    public void close() {
        Admin closing;
        synchronized (this) {
            closed = true;
            closing = admin;
            admin = null;
        }
        if (closing != null) {
            closing.close(Duration.ofSeconds(5));
        }
    }
}
