package dev.ssebridge.testsupport;

import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.utility.DockerImageName;

/** The official {@code apache/kafka} image (KRaft, single node) run by Testcontainers. */
public final class ContainerKafkaBroker implements KafkaBroker {

    /** Same Kafka version as the kafka-clients the build uses. */
    public static final DockerImageName IMAGE = DockerImageName.parse("apache/kafka:4.1.2");

    private final KafkaContainer container;

    private ContainerKafkaBroker(KafkaContainer container) {
        this.container = container;
    }

    public static ContainerKafkaBroker start() {
        KafkaContainer container = new KafkaContainer(IMAGE)
                .withEnv("KAFKA_AUTO_CREATE_TOPICS_ENABLE", "false")
                .withEnv("KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS", "0");
        container.start();
        return new ContainerKafkaBroker(container);
    }

    @Override
    public String bootstrapServers() {
        return container.getBootstrapServers();
    }

    @Override
    public String kind() {
        return "testcontainers";
    }

    @Override
    public void close() {
        container.stop();
    }
}
