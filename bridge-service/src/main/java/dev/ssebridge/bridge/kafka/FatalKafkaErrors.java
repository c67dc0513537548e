package dev.ssebridge.bridge.kafka;

import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;

/**
 * Kafka errors that retrying cannot fix: the bridge's credentials are refused (authentication) or it may not
 * read a topic (authorization). Everything else (Kafka unreachable, a leader moving, a timeout) is retried.
 */
final class FatalKafkaErrors {

    private FatalKafkaErrors() {
    }

    /** The fatal error in {@code error}'s cause chain (futures and reactor-kafka wrap them), or null. */
    static Throwable of(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof AuthenticationException || cause instanceof AuthorizationException) {
                return cause;
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return null;
    }

    static boolean isFatal(Throwable error) {
        return of(error) != null;
    }

    /** Which refusal {@code fatal} (from {@link #of}) is. */
    static TailStatus.Failure kind(Throwable fatal) {
        return fatal instanceof AuthenticationException ? TailStatus.Failure.AUTHENTICATION
                : TailStatus.Failure.AUTHORIZATION;
    }

    /** {@code authentication: <Kafka's message>} or {@code authorization: ...}, for status and health. */
    static String describe(Throwable fatal) {
        return kind(fatal).label() + ": "
                + (fatal.getMessage() == null ? fatal.getClass().getSimpleName() : fatal.getMessage());
    }
}
