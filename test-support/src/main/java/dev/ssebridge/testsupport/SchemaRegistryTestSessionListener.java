package dev.ssebridge.testsupport;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/** Stops the test schema registry's process when the JUnit launcher session ends (see {@link KafkaTestSessionListener}). */
public final class SchemaRegistryTestSessionListener implements LauncherSessionListener {

    @Override
    public void launcherSessionClosed(LauncherSession session) {
        TestSchemaRegistry.closeIfStarted();
    }
}
