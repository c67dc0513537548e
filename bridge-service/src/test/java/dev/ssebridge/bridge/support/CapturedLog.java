package dev.ssebridge.bridge.support;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.LoggerFactory;

/**
 * What the bridge and its Kafka clients log while this is open (they run in the test's JVM). Open it once the bridge
 * has started: Spring Boot resets the logging system as an application starts, appenders and all.
 */
public final class CapturedLog implements AutoCloseable {

    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    private CapturedLog() {
        appender.start();
        root().addAppender(appender);
    }

    /** Captures from now on. */
    public static CapturedLog open() {
        return new CapturedLog();
    }

    /**
     * The {@link #warnings()} of the next {@code window}, which this waits out: for tests that count what happens in a
     * window of time (attempts per window, lines per window), not for waiting on a result.
     */
    public static List<String> warningsOver(Duration window) {
        try (CapturedLog captured = open()) {
            LockSupport.parkNanos(window.toNanos());
            return captured.warnings();
        }
    }

    /**
     * The lines at WARN and above of the bridge ({@code dev.ssebridge}) and of its Kafka clients
     * ({@code org.apache.kafka.clients}) so far, each as "LEVEL logger: message", with "[stack trace: class]" where
     * one came with it.
     */
    public List<String> warnings() {
        List<ILoggingEvent> events;
        synchronized (appender) {
            events = new ArrayList<>(appender.list);
        }
        return events.stream()
                .filter(e -> e.getLoggerName().startsWith("dev.ssebridge")
                        || e.getLoggerName().startsWith("org.apache.kafka.clients"))
                .filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
                .map(e -> e.getLevel() + " " + e.getLoggerName() + ": " + e.getFormattedMessage()
                        + (e.getThrowableProxy() == null ? "" : " [stack trace: " + e.getThrowableProxy().getClassName() + "]"))
                .toList();
    }

    @Override
    public void close() {
        root().detachAppender(appender);
        appender.stop();
    }

    private static Logger root() {
        return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    }
}
