package dev.ssebridge.testsupport;

/** A running single-node Kafka cluster for tests. */
public interface KafkaBroker extends AutoCloseable {

    /** {@code host:port} list for {@code bootstrap.servers}. */
    String bootstrapServers();

    /** How this broker runs, for logs: "in-process" or "testcontainers". */
    String kind();

    @Override
    void close();
}
