package dev.ssebridge.testsupport;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Closes the test broker when the JUnit launcher session ends. A JVM shutdown hook did the same job
 * but made Surefire report "Error occurred in starting fork" with all tests green.
 */
public final class KafkaTestSessionListener implements LauncherSessionListener {

    @Override
    public void launcherSessionClosed(LauncherSession session) {
        TestKafka.closeIfStarted();
    }
}
