package dev.ssebridge.bridge.request;

import dev.ssebridge.bridge.channel.UnknownChannelException;
import dev.ssebridge.bridge.cursor.MalformedCursorException;
import dev.ssebridge.bridge.kafka.ChannelFailedException;
import dev.ssebridge.bridge.kafka.FamilyFullException;
import dev.ssebridge.bridge.kafka.FamilyTails;
import dev.ssebridge.bridge.kafka.ReplayUnavailableException;
import dev.ssebridge.bridge.kafka.TailState;
import dev.ssebridge.bridge.policy.InvalidClaimsException;
import dev.ssebridge.bridge.problem.Problems;
import dev.ssebridge.bridge.security.ChannelForbiddenException;
import dev.ssebridge.bridge.start.ChannelNotReadyException;
import java.time.Clock;
import java.time.Duration;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * RFC 9457 problem responses for the bridge's own errors, chosen by exception type. The content type is
 * set explicitly: an EventSource asks for {@code text/event-stream} only, and must still get a readable
 * error rather than a 406.
 */
@RestControllerAdvice
class ProblemResponses {

    /**
     * A failed channel waits for an operator, not for Kafka: longer than a channel about to read (5 s); sooner when
     * its tail's next attempt at Kafka is sooner.
     */
    private static final int CHANNEL_FAILED_RETRY_SECONDS = 30;
    /** A channel about to read, or Kafka about to be tried again. */
    private static final int CHANNEL_NOT_READY_RETRY_SECONDS = 5;

    private final FamilyTails familyTails;
    private final Clock clock;

    ProblemResponses(FamilyTails familyTails, Clock clock) {
        this.familyTails = familyTails;
        this.clock = clock;
    }

    @ExceptionHandler(UnknownChannelException.class)
    ResponseEntity<ProblemDetail> unknownChannel(UnknownChannelException e) {
        ProblemDetail problem = Problems.problem(HttpStatus.NOT_FOUND, "unknown-channel", "Unknown channel",
                "No channel is called '" + e.channel() + "'. Channels: " + String.join(", ", e.known()) + ".");
        problem.setProperty("channel", e.channel());
        problem.setProperty("known_channels", e.known());
        return respond(problem);
    }

    /**
     * A stream path naming neither a channel nor a route: the same answer as an unknown channel's. For a family's
     * topic (missing, outside the allow-list, or refused by its access rule: one answer) it is counted here, where
     * each request is answered once.
     */
    @ExceptionHandler(UnknownStreamException.class)
    ResponseEntity<ProblemDetail> unknownStream(UnknownStreamException e) {
        e.family().ifPresent(family -> familyTails.refused(family, FamilyTails.Refusal.NOT_SERVED));
        ProblemDetail problem = Problems.problem(HttpStatus.NOT_FOUND, "unknown-channel", "Unknown channel",
                "No channel or route is called '" + e.stream() + "'. Streams: " + String.join(", ", e.known()) + ".");
        problem.setProperty("channel", e.stream());
        problem.setProperty("known_channels", e.known());
        return respond(problem);
    }

    @ExceptionHandler(InvalidParameterException.class)
    ResponseEntity<ProblemDetail> invalidParameter(InvalidParameterException e) {
        ProblemDetail problem = Problems.problem(HttpStatus.BAD_REQUEST, "invalid-parameter", "Invalid parameter",
                e.getMessage());
        problem.setProperty("parameter", e.parameter());
        if (e.position() != null) {
            problem.setProperty("position", e.position());
        }
        return respond(problem);
    }

    @ExceptionHandler(MalformedCursorException.class)
    ResponseEntity<ProblemDetail> malformedCursor(MalformedCursorException e) {
        ProblemDetail problem = Problems.problem(HttpStatus.BAD_REQUEST, "invalid-cursor", "Invalid cursor",
                e.getMessage() + ". Reconnect without Last-Event-ID (or last_event_id) to start from now.");
        return respond(problem);
    }

    @ExceptionHandler(ChannelNotReadyException.class)
    ResponseEntity<ProblemDetail> channelNotReady(ChannelNotReadyException e) {
        ProblemDetail problem = Problems.problem(HttpStatus.SERVICE_UNAVAILABLE, "channel-not-ready",
                "Channel not ready",
                e.getMessage());
        problem.setProperty("channel", e.channel().name());
        return retryLater(problem, CHANNEL_NOT_READY_RETRY_SECONDS);
    }

    /**
     * A channel whose tail has failed (Kafka refused the bridge): answered at once, on every stream path and history.
     * It names what was refused in one word, not Kafka's words, which status and health show to operators. The client
     * may come back later: after an operator has fixed the bridge's Kafka settings, this or another instance reads the
     * channel.
     */
    @ExceptionHandler(ChannelFailedException.class)
    ResponseEntity<ProblemDetail> channelFailed(ChannelFailedException e) {
        ProblemDetail problem = Problems.problem(HttpStatus.SERVICE_UNAVAILABLE, "channel-failed",
                "Channel not reading Kafka",
                "The " + e.getMessage() + ". Nothing of it is served until the bridge reads it again, once its Kafka "
                        + "settings are fixed; the bridge's status says why.");
        problem.setProperty("channel", e.channel().name());
        problem.setProperty("state", TailState.FAILED.label());
        problem.setProperty("reason", e.failure().label());
        return retryLater(problem, retryAfterSeconds(e));
    }

    /**
     * Until the tail's next attempt at Kafka, when it has one; once that is due, a few seconds (the attempt is made at
     * the monitor's next check), not 1 s over and over.
     */
    private int retryAfterSeconds(ChannelFailedException e) {
        if (e.nextAttempt() == null) {
            return CHANNEL_FAILED_RETRY_SECONDS;
        }
        long seconds = Duration.between(clock.instant(), e.nextAttempt()).toSeconds() + 1;
        return (int) (seconds <= 1 ? CHANNEL_NOT_READY_RETRY_SECONDS : Math.min(CHANNEL_FAILED_RETRY_SECONDS, seconds));
    }

    /** A history query whose Kafka read made no progress (Kafka, or the schema registry, does not answer). */
    @ExceptionHandler(ReplayUnavailableException.class)
    ResponseEntity<ProblemDetail> replayUnavailable(ReplayUnavailableException e) {
        ProblemDetail problem = Problems.problem(HttpStatus.SERVICE_UNAVAILABLE, "replay-unavailable",
                "Replay unavailable", e.getMessage() + ". Try again shortly.");
        return retryLater(problem, 5);
    }

    /** A family of topics reads as many topics as it may: the client retries once a tail may have stopped. */
    @ExceptionHandler(FamilyFullException.class)
    ResponseEntity<ProblemDetail> familyFull(FamilyFullException e) {
        familyTails.refused(e.family(), FamilyTails.Refusal.FULL);
        ProblemDetail problem = Problems.problem(HttpStatus.SERVICE_UNAVAILABLE, "family-full", "Too many topics",
                "The " + e.getMessage() + ". Try again later.");
        problem.setProperty("family", e.family());
        return retryLater(problem, (int) Math.max(1, e.retryAfter().toSeconds()));
    }

    @ExceptionHandler(ChannelForbiddenException.class)
    ResponseEntity<ProblemDetail> channelForbidden(ChannelForbiddenException e) {
        ProblemDetail problem = Problems.problem(HttpStatus.FORBIDDEN, "channel-forbidden", "Channel not granted",
                e.getMessage());
        problem.setProperty("channels", e.channels());
        return respond(problem);
    }

    /** A claim a channel's record policy reads is beyond the bounds: named, never its value. */
    @ExceptionHandler(InvalidClaimsException.class)
    ResponseEntity<ProblemDetail> invalidClaims(InvalidClaimsException e) {
        ProblemDetail problem = Problems.problem(HttpStatus.BAD_REQUEST, "invalid-claims", "Claims too large",
                "The bearer token cannot be evaluated by this channel's record policy: " + e.getMessage() + ".");
        problem.setProperty("claim", e.claim());
        return respond(problem);
    }

    @ExceptionHandler(ShuttingDownException.class)
    ResponseEntity<ProblemDetail> shuttingDown(ShuttingDownException e) {
        ProblemDetail problem = Problems.problem(HttpStatus.SERVICE_UNAVAILABLE, "shutting-down", "Shutting down",
                e.getMessage());
        return retryLater(problem, 1);
    }

    private static ResponseEntity<ProblemDetail> respond(ProblemDetail problem) {
        return problemResponse(problem).body(problem);
    }

    /** A problem the client may retry after {@code seconds} ({@code Retry-After}). */
    private static ResponseEntity<ProblemDetail> retryLater(ProblemDetail problem, int seconds) {
        return problemResponse(problem).header(HttpHeaders.RETRY_AFTER, Integer.toString(seconds)).body(problem);
    }

    private static ResponseEntity.BodyBuilder problemResponse(ProblemDetail problem) {
        return ResponseEntity.status(problem.getStatus()).contentType(MediaType.APPLICATION_PROBLEM_JSON);
    }
}
