package dev.ssebridge.bridge.kafka;

import javax.security.auth.login.LoginException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.IllegalSaslStateException;
import org.apache.kafka.common.errors.SaslAuthenticationException;

/**
 * Kafka errors that retrying cannot fix: the bridge's credentials are refused (authentication) or it may not
 * read a topic (authorization). Everything else (Kafka unreachable, a leader moving, a timeout) is retried.
 */
final class FatalKafkaErrors {

    private FatalKafkaErrors() {
    }

    /**
     * The fatal error in {@code error}'s cause chain (futures and reactor-kafka wrap them), or null. A client that
     * cannot log in at all (its SASL login module failed: an OAuth token endpoint refused its client secret) is
     * refused as surely as one the broker turns away, before it is even created: that is an authentication refusal.
     */
    static Throwable of(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof IllegalSaslStateException) {
                // A SASL exchange out of step, not a refused credential: seen when a broker's re-authentication of a
                // connection crossed the client's ("Unexpected handshake request ... enabled mechanisms are []").
                // The next attempt logs in; taken for a refusal it stopped an OAUTHBEARER stream for 30 s (CI).
                return null;
            }
            if (cause instanceof AuthenticationException || cause instanceof AuthorizationException) {
                return cause;
            }
            if (cause instanceof LoginException) {
                return new LoginFailedException(cause);
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return null;
    }

    /**
     * A client that could not log in at all (its login module failed before any broker was asked): an authentication
     * refusal, though possibly one of an identity provider that does not answer.
     */
    static final class LoginFailedException extends SaslAuthenticationException {

        LoginFailedException(Throwable cause) {
            super("login failed", cause);
        }
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

    /** The first line: some of Kafka's messages carry their cause's whole stack trace after it. */
    private static String message(Throwable error) {
        String message = error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage();
        int end = message.indexOf('\n');
        return end < 0 ? message : message.substring(0, end).strip();
    }
}
