package dev.ssebridge.testsupport;

import java.nio.file.Files;
import java.nio.file.Path;
import org.testcontainers.DockerClientFactory;

/**
 * Whether a Docker engine can run containers here. Asking Testcontainers logs a large ERROR block
 * when there is no engine, so it is only asked when some sign of an engine exists.
 */
final class DockerDetection {

    private DockerDetection() {
    }

    static boolean dockerAvailable() {
        return anySignOfDocker() && DockerClientFactory.instance().isDockerAvailable();
    }

    private static boolean anySignOfDocker() {
        String home = System.getProperty("user.home");
        return System.getenv("DOCKER_HOST") != null
                || Files.exists(Path.of("/var/run/docker.sock"))
                || Files.exists(Path.of(home, ".docker", "run", "docker.sock"))
                || Files.exists(Path.of(home, ".testcontainers.properties"));
    }
}
