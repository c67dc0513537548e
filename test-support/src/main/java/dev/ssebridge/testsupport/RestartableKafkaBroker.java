package dev.ssebridge.testsupport;

import kafka.server.BrokerServer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * A dedicated in-process broker whose broker side can be stopped and started again on the same port,
 * for tests of Kafka outages. Not the shared test broker: an outage must not hit other tests.
 */
public final class RestartableKafkaBroker implements KafkaBroker {

    private final KafkaClusterTestKit cluster;

    private RestartableKafkaBroker(KafkaClusterTestKit cluster) {
        this.cluster = cluster;
    }

    public static RestartableKafkaBroker start() {
        try {
            TestKitNodes nodes = new TestKitNodes.Builder()
                    .setCombined(true)
                    .setNumBrokerNodes(1)
                    .setNumControllerNodes(1)
                    .build();
            KafkaClusterTestKit cluster = new KafkaClusterTestKit.Builder(nodes)
                    .setConfigProp("log.cleaner.dedupe.buffer.size", String.valueOf(4 * 1024 * 1024))
                    .setConfigProp("group.initial.rebalance.delay.ms", "0")
                    .setConfigProp("auto.create.topics.enable", "false")
                    .build();
            cluster.format();
            cluster.startup();
            cluster.waitForReadyBrokers();
            return new RestartableKafkaBroker(cluster);
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("could not start a restartable Kafka broker", e);
        }
    }

    /** Stops serving clients (the broker side shuts down; its port refuses connections). */
    public void stopBroker() {
        broker().shutdown();
        broker().awaitShutdown();
    }

    /** Serves clients again, on the same port, with the same data. */
    public void startBroker() {
        broker().startup();
        try {
            cluster.waitForReadyBrokers();
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("broker did not come back", e);
        }
    }

    private BrokerServer broker() {
        return cluster.brokers().values().iterator().next();
    }

    @Override
    public String bootstrapServers() {
        return cluster.bootstrapServers();
    }

    @Override
    public String kind() {
        return "in-process (restartable)";
    }

    @Override
    public void close() {
        try {
            cluster.close();
        } catch (Exception e) {
            throw new IllegalStateException("could not stop the Kafka broker", e);
        }
    }
}
