package dev.ssebridge.bridge.kafka;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.AuthenticationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;

/**
 * Whether Kafka accepts the bridge's credentials, and the instance's one Admin client.
 *
 * <p>An authentication refusal seen by any Kafka client of the bridge (a tail's consumer, the admin client) stops
 * every client of the cluster: the tails stop on it, and the admin client, which would reconnect about once a
 * second for as long as it has requests (each time a failed login at the broker and a stack trace in the log), is
 * closed. From then on one attempt is made per back-off step: the first admin request after the step's time (the
 * {@link KafkaMonitor} makes one at its interval) creates a fresh admin client. Kafka accepting it ends the refusal
 * and the tails it stopped start again from their positions ({@link #whenAccepted}); a refused attempt doubles the
 * wait, up to the maximum. One log line when the refusal starts, one per refused attempt, one when it ends.
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

    // Guarded by this.
    private Admin admin;
    /** The admin client was created after a refusal's wait: what it is answered is that attempt's outcome. */
    private boolean attempting;
    private AuthenticationException refused;
    private Instant refusedSince;
    private Instant nextAttempt;
    private int refusals;
    /** Completed while Kafka accepts the bridge; a fresh one per refusal. */
    private Sinks.Empty<Void> accepted = Sinks.empty();
    private boolean closed;

    ClusterAccess(Supplier<Admin> factory, RefusalBackoff backoff, Clock clock) {
        this.factory = factory;
        this.backoff = backoff;
        this.clock = clock;
        accepted.tryEmitEmpty();
    }

    /**
     * Any thread: {@code request} made with the admin client, its outcome noted (an authentication refusal stops
     * the admin client; an answer while refused ends the refusal). Fails with {@link KafkaRefusedException}, without
     * a network call, while Kafka refuses the bridge and the next attempt is not due.
     */
    <T> Mono<T> ask(Function<Admin, KafkaFuture<T>> request) {
        return Mono.defer(() -> {
            Admin used = admin();
            return Mono.fromFuture(request.apply(used).toCompletionStage().toCompletableFuture())
                    .doOnSuccess(answer -> answered(used))
                    .doOnError(error -> failed(used, error));
        });
    }

    /**
     * The admin client, created if there is none; {@link KafkaRefusedException} while Kafka refuses the bridge and
     * the next attempt is not due. Who uses it reports the outcome: {@link #answered} or {@link #failed}.
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
                if (FatalKafkaErrors.of(e) instanceof AuthenticationException refusal) {
                    refused(refusal, attempting);
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
            log.info("Kafka accepts the bridge's credentials again, after {} refused attempt(s) since {}; the tails "
                    + "it refused start again from their positions", refusals, refusedSince);
            refused = null;
            refusals = 0;
            attempting = false;
            nextAttempt = null;
            wake = accepted;
        }
        wake.tryEmitEmpty();
    }

    /** A request of {@code used} failed: an authentication refusal stops the admin client until the next attempt. */
    void failed(Admin used, Throwable error) {
        if (FatalKafkaErrors.of(error) instanceof AuthenticationException refusal) {
            synchronized (this) {
                refused(refusal, used == admin && attempting);
            }
        }
    }

    /** Any thread: a Kafka client other than the admin one (a tail's consumer) was refused the bridge's credentials. */
    synchronized void refused(AuthenticationException refusal) {
        refused(refusal, false);
    }

    /**
     * Under the monitor: a refusal starts, or, {@code ofTheAttempt} (the admin client made after the wait was
     * refused), the next step begins.
     */
    private void refused(AuthenticationException refusal, boolean ofTheAttempt) {
        Instant now = clock.instant();
        if (refused == null) {
            refused = refusal;
            refusedSince = now;
            refusals = 1;
            nextAttempt = now.plus(backoff.after(refusals));
            accepted = Sinks.empty();
            closeAdmin();
            log.warn("Kafka refused the bridge's credentials ({}). Its Kafka clients stop; next attempt in {}, then at "
                    + "a doubling interval up to {}. Streams of the channels are answered 503 meanwhile.",
                    FatalKafkaErrors.describe(refusal), backoff.after(1), backoff.max());
        } else if (ofTheAttempt) {
            refused = refusal;
            refusals++;
            Duration wait = backoff.after(refusals);
            nextAttempt = now.plus(wait);
            attempting = false;
            closeAdmin();
            log.warn("Kafka still refuses the bridge's credentials ({}), attempt {}; next attempt in {}",
                    FatalKafkaErrors.describe(refusal), refusals, wait);
        }
        // Else the same refusal, reported late by another client: nothing new.
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

    /** The authentication refusal in progress, or null. */
    synchronized Refusal refusal() {
        return refused == null ? null
                : new Refusal(FatalKafkaErrors.describe(refused), refusedSince, refusals, nextAttempt);
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (admin != null) {
            admin.close(Duration.ofSeconds(5));
            admin = null;
        }
    }
}
