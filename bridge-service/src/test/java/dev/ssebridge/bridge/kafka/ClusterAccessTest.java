package dev.ssebridge.bridge.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import javax.security.auth.login.LoginException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.junit.jupiter.api.Test;

/**
 * The refusal state machine of {@link ClusterAccess}, on a clock the test moves: when attempts are made, what ends a
 * refusal, what does not move it. The admin clients are stand-ins with an identity and nothing else (no request is
 * made here); what Kafka really answers is {@code KafkaRefusalBackoffIT}'s and {@code SecuredKafkaIT}'s.
 */
class ClusterAccessTest {

    private static final Duration FIRST = Duration.ofSeconds(30);
    private static final SaslAuthenticationException WRONG_PASSWORD =
            new SaslAuthenticationException("Authentication failed: Invalid username or password");

    private final MovingClock clock = new MovingClock();
    private final List<Admin> made = new ArrayList<>();
    private Supplier<Admin> next = this::standIn;
    private final ClusterAccess access = new ClusterAccess("Kafka", () -> next.get(), new RefusalBackoff(FIRST,
            Duration.ofMinutes(10)), clock);

    @Test
    void aRefusedLoginClosesTheAdminClientAndNothingIsSentUntilTheNextAttempt() {
        Admin first = access.admin();
        access.failed(first, WRONG_PASSWORD);

        ClusterAccess.Refusal refusal = access.refusal();
        assertThat(refusal.attempts()).isEqualTo(1);
        assertThat(refusal.nextAttempt()).isEqualTo(clock.instant().plus(FIRST));
        assertThat(refusal.reason()).startsWith("authentication: Authentication failed");
        assertThat(access.whenAccepted().toFuture()).isNotDone();
        clock.advance(FIRST.minusSeconds(1));
        assertThatThrownBy(access::admin).isInstanceOf(KafkaRefusedException.class).hasCause(WRONG_PASSWORD);
        assertThat(made).hasSize(1);
    }

    @Test
    void aRefusedAttemptDoublesTheWaitAndAnAnswerToTheNextEndsTheRefusal() {
        access.failed(access.admin(), WRONG_PASSWORD);
        clock.advance(FIRST);
        Admin second = access.admin();
        assertThat(made).hasSize(2);
        access.failed(second, WRONG_PASSWORD);
        assertThat(access.refusal().attempts()).isEqualTo(2);
        assertThat(access.refusal().nextAttempt()).isEqualTo(clock.instant().plus(FIRST.multipliedBy(2)));

        clock.advance(FIRST.multipliedBy(2));
        Admin third = access.admin();
        access.answered(third);
        assertThat(access.refusal()).isNull();
        assertThat(access.whenAccepted().toFuture()).isDone();
        assertThat(access.admin()).isSameAs(third);
    }

    /** The broker let the attempt's client in and refused it a topic: the login works, the refusal is over. */
    @Test
    void aTopicsAuthorizationErrorToTheAttemptEndsTheRefusal() {
        access.failed(access.admin(), WRONG_PASSWORD);
        clock.advance(FIRST);
        access.failed(access.admin(), new TopicAuthorizationException(Set.of("training")));
        assertThat(access.refusal()).isNull();
        assertThat(access.whenAccepted().toFuture()).isDone();
    }

    @Test
    void theSameRefusalReportedLateByOtherClientsDoesNotMoveTheNextAttempt() {
        Admin first = access.admin();
        access.failed(first, WRONG_PASSWORD);
        Instant next = access.refusal().nextAttempt();
        clock.advance(Duration.ofSeconds(10));
        access.refused(WRONG_PASSWORD); // a tail's consumer
        access.failed(first, WRONG_PASSWORD); // a request of the closed client still in flight
        assertThat(access.refusal().attempts()).isEqualTo(1);
        assertThat(access.refusal().nextAttempt()).isEqualTo(next);
    }

    /** Accepted by one broker and refused by another (a certificate rotation half done): the wait keeps growing. */
    @Test
    void aRefusalSoonAfterKafkaAcceptedTheBridgeGoesOnFromTheLastCount() {
        access.failed(access.admin(), WRONG_PASSWORD);
        clock.advance(FIRST);
        access.failed(access.admin(), WRONG_PASSWORD);
        clock.advance(FIRST.multipliedBy(2));
        access.answered(access.admin());
        clock.advance(Duration.ofSeconds(5));
        access.refused(WRONG_PASSWORD);
        assertThat(access.refusal().attempts()).isEqualTo(3);
        assertThat(access.refusal().nextAttempt()).isEqualTo(clock.instant().plus(FIRST.multipliedBy(4)));
    }

    @Test
    void aRefusalLongAfterKafkaAcceptedTheBridgeStartsAtTheFirstStep() {
        access.failed(access.admin(), WRONG_PASSWORD);
        clock.advance(FIRST);
        access.answered(access.admin());
        clock.advance(Duration.ofHours(1));
        access.refused(WRONG_PASSWORD);
        assertThat(access.refusal().attempts()).isEqualTo(1);
    }

    /** The OAuth token endpoint refused the client (or did not answer: Kafka's login does not say which). */
    @Test
    void aLoginThatCouldNotBeMadeIsTriedAgainAtTheFirstStepNotAGrowingOne() {
        next = () -> {
            throw new KafkaException("Failed to create new KafkaAdminClient",
                    new KafkaException(new LoginException("The response code 401 was encountered")));
        };
        assertThatThrownBy(access::admin).isInstanceOf(KafkaException.class);
        assertThat(access.refusal().attempts()).isEqualTo(1);
        assertThat(access.refusal().reason()).startsWith("authentication: login failed");
        for (int attempt = 2; attempt <= 4; attempt++) {
            clock.advance(FIRST);
            assertThatThrownBy(access::admin).isInstanceOf(KafkaException.class);
            assertThat(access.refusal().attempts()).isEqualTo(attempt);
            assertThat(access.refusal().nextAttempt()).isEqualTo(clock.instant().plus(FIRST));
        }
        next = this::standIn;
        clock.advance(FIRST);
        access.answered(access.admin());
        assertThat(access.refusal()).isNull();
    }

    /** An Admin with an identity and nothing else: closing it is all that may be asked of it here. */
    private Admin standIn() {
        Admin admin = (Admin) Proxy.newProxyInstance(Admin.class.getClassLoader(), new Class<?>[] {Admin.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "close" -> null;
                    case "equals" -> proxy == args[0];
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "toString" -> "stand-in admin";
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        made.add(admin);
        return admin;
    }

    private static final class MovingClock extends Clock {

        private Instant now = Instant.parse("2026-12-07T09:00:00Z");

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
