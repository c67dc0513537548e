package dev.ssebridge.testsupport;

import java.nio.file.Files;
import java.nio.file.Path;
import org.opentest4j.TestAbortedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one Apicurio Registry of this test JVM, started on first use and stopped when the JUnit launcher
 * session ends ({@link SchemaRegistryTestSessionListener}), like {@link TestKafka}'s broker. Tests isolate
 * themselves with fresh subjects, not fresh registries.
 *
 * <p>Where the server is: system property {@code ssebridge.test.apicurio.home}, which the build sets to
 * the archive maven-dependency-plugin unpacked, else {@code target/apicurio-registry} of the working directory.
 */
public final class TestSchemaRegistry {

    private static final Logger log = LoggerFactory.getLogger(TestSchemaRegistry.class);

    private static ApicurioRegistry registry;

    private TestSchemaRegistry() {
    }

    /**
     * The registry, started on first call. Without a JDK 21+ the calling test is skipped (as the browser tests
     * are without Chromium), unless {@code SSEBRIDGE_REQUIRE_SCHEMA_REGISTRY=true} (CI sets it) makes that a
     * failure.
     */
    public static synchronized ApicurioRegistry registry() {
        if (registry == null) {
            Path home = home();
            long started = System.nanoTime();
            registry = ApicurioRegistry.start(home);
            log.info("Apicurio Registry test server at {} started in {} ms", registry.ccompatUrl(),
                    (System.nanoTime() - started) / 1_000_000);
        }
        return registry;
    }

    /**
     * Another registry, serving its API over HTTPS only with {@code tls}'s certificate: for a test that needs one
     * beside the shared plain one; the caller closes it. Skipped like {@link #registry()} without a JDK 21.
     */
    public static ApicurioRegistry startTls(ApicurioRegistry.Tls tls) {
        return ApicurioRegistry.start(home(), tls);
    }

    private static Path home() {
        if (Java21.find().isEmpty()) {
            if (Boolean.parseBoolean(System.getenv("SSEBRIDGE_REQUIRE_SCHEMA_REGISTRY"))) {
                Java21.java();
            }
            throw new TestAbortedException("no JDK 21 or newer for the test schema registry (Apicurio Registry 3):"
                    + " install one under /usr/lib/jvm or set SSEBRIDGE_JAVA21_HOME");
        }
        Path home = Path.of(System.getProperty("ssebridge.test.apicurio.home", "target/apicurio-registry"));
        if (!Files.isDirectory(home)) {
            throw new IllegalStateException("no Apicurio Registry at " + home.toAbsolutePath()
                    + ": run the tests through Maven (verify), whose pre-integration-test phase unpacks it");
        }
        return home;
    }

    static synchronized void closeIfStarted() {
        if (registry != null) {
            try {
                registry.close();
            } finally {
                registry = null;
            }
        }
    }
}
