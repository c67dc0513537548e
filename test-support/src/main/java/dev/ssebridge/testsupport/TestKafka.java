package dev.ssebridge.testsupport;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one broker of this test JVM, started on first use and closed when the JUnit launcher session
 * ends ({@link KafkaTestSessionListener}), not from a shutdown hook.
 *
 * <p>Which broker: system property {@code ssebridge.test.kafka} = {@code auto} (default: Testcontainers
 * when a Docker engine answers, otherwise in-process), {@code in-process} or {@code testcontainers}.
 * Tests isolate themselves with fresh topics ({@link TestTopics}), not fresh brokers.
 */
public final class TestKafka {

    private static final Logger log = LoggerFactory.getLogger(TestKafka.class);

    private static KafkaBroker broker;

    private TestKafka() {
    }

    public static synchronized KafkaBroker broker() {
        if (broker == null) {
            long started = System.nanoTime();
            broker = startBroker(System.getProperty("ssebridge.test.kafka", "auto"));
            log.info("Kafka test broker ({}) at {} started in {} ms", broker.kind(), broker.bootstrapServers(),
                    (System.nanoTime() - started) / 1_000_000);
        }
        return broker;
    }

    public static String bootstrapServers() {
        return broker().bootstrapServers();
    }

    static synchronized void closeIfStarted() {
        if (broker != null) {
            try {
                broker.close();
            } finally {
                broker = null;
            }
        }
    }

    private static KafkaBroker startBroker(String choice) {
        return switch (choice) {
            case "in-process" -> InProcessKafkaBroker.start();
            case "testcontainers" -> ContainerKafkaBroker.start();
            case "auto" -> DockerDetection.dockerAvailable()
                    ? ContainerKafkaBroker.start()
                    : InProcessKafkaBroker.start();
            default -> throw new IllegalArgumentException(
                    "ssebridge.test.kafka must be auto, in-process or testcontainers, not '" + choice + "'");
        };
    }
}
