package dev.ssebridge.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Finds a JDK 21 or newer for test servers that need one (Apicurio Registry 3.x) while the build itself
 * runs on Java 17: the system property {@code ssebridge.java21.home} or the environment variable
 * {@code SSEBRIDGE_JAVA21_HOME}, else this JVM if it is new enough, else the newest JDK under
 * {@code /usr/lib/jvm}.
 */
public final class Java21 {

    private static final Pattern VERSION = Pattern.compile("^JAVA_VERSION=\"(\\d+)", Pattern.MULTILINE);

    private Java21() {
    }

    /** The {@code java} launcher of a JDK 21+; fails naming what to install when there is none. */
    public static Path java() {
        return find().orElseThrow(Java21::none);
    }

    /**
     * The {@code java} launcher of a JDK 21+, empty when there is none; a configured home that is not one
     * fails, since someone meant it.
     */
    public static Optional<Path> find() {
        String configured = System.getProperty("ssebridge.java21.home", System.getenv("SSEBRIDGE_JAVA21_HOME"));
        if (configured != null && !configured.isBlank()) {
            Path home = Path.of(configured);
            int version = version(home).orElseThrow(() -> new IllegalStateException(
                    "ssebridge.java21.home / SSEBRIDGE_JAVA21_HOME = " + configured + " is not a JDK (no release file)"));
            if (version < 21) {
                throw new IllegalStateException(configured + " is Java " + version + "; Apicurio Registry 3 needs 21 or newer");
            }
            return Optional.of(launcher(home));
        }
        if (Runtime.version().feature() >= 21) {
            return Optional.of(launcher(Path.of(System.getProperty("java.home"))));
        }
        try (Stream<Path> jdks = Files.list(Path.of("/usr/lib/jvm"))) {
            return jdks.filter(home -> Files.isExecutable(home.resolve("bin/java")))
                    .filter(home -> version(home).orElse(0) >= 21)
                    .max(Comparator.comparingInt((Path home) -> version(home).orElse(0)))
                    .map(Java21::launcher);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static Optional<Integer> version(Path home) {
        try {
            Matcher matcher = VERSION.matcher(Files.readString(home.resolve("release")));
            return matcher.find() ? Optional.of(Integer.parseInt(matcher.group(1))) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static Path launcher(Path home) {
        return home.resolve("bin").resolve("java");
    }

    private static IllegalStateException none() {
        return new IllegalStateException("Apicurio Registry 3 needs Java 21 or newer, and there is none under /usr/lib/jvm: "
                + "install one (apt-get install openjdk-21-jdk-headless, or a Temurin 21/25) or set SSEBRIDGE_JAVA21_HOME to its home");
    }
}
