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

    /**
     * {@code authentication: <Kafka's message>} or {@code authorization: ...}, for status, health and the log; with
     * the innermost cause's message when there is one (a TLS refusal says "SSL handshake failed", its cause why).
     */
    static String describe(Throwable fatal) {
        String described = kind(fatal).label() + ": " + message(fatal);
        Throwable root = fatal;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == fatal ? described : described + " (" + message(root) + ")";
    }

    private static String message(Throwable error) {
        return error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage();
    }
}
