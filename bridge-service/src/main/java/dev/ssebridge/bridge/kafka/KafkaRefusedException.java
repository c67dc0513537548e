package dev.ssebridge.bridge.kafka;

import java.time.Instant;
import org.apache.kafka.common.errors.AuthenticationException;

/**
 * A request not sent: Kafka refuses the bridge's credentials and the next attempt is not due ({@link ClusterAccess}).
 * Its cause is Kafka's refusal, so {@link FatalKafkaErrors} sees it as the refusal it stands for.
 */
final class KafkaRefusedException extends RuntimeException {

    KafkaRefusedException(AuthenticationException refusal, Instant nextAttempt) {
        super("not sent: Kafka refuses the bridge's credentials; next attempt at " + nextAttempt, refusal);
    }
}
