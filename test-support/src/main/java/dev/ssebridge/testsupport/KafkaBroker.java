package dev.ssebridge.testsupport;

import java.util.Properties;

/** A running single-node Kafka cluster for tests. */
public interface KafkaBroker extends AutoCloseable {

    /** {@code host:port} list for {@code bootstrap.servers}. */
    String bootstrapServers();

    /** Settings for a client of this broker with every right (an admin client, a test producer). */
    default Properties adminClientProperties() {
        Properties props = new Properties();
        props.put("bootstrap.servers", bootstrapServers());
        return props;
    }

    /** How this broker runs, for logs: "in-process" or "testcontainers". */
    String kind();

    @Override
    void close();
}
