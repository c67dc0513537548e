package dev.ssebridge.testsupport;

import kafka.server.BrokerServer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * A real single-node KRaft broker (combined broker and controller) started inside this JVM from the
 * official Kafka jars. About 2 s to start on a 2-core machine. Its broker side can be stopped and started
 * again on the same port for tests of Kafka outages; such tests start their own instance, never the
 * shared one.
 */
public final class InProcessKafkaBroker implements KafkaBroker {

    private final KafkaClusterTestKit cluster;
    private volatile boolean brokerStopped;

    private InProcessKafkaBroker(KafkaClusterTestKit cluster) {
        this.cluster = cluster;
    }

    public static InProcessKafkaBroker start() {
        KafkaClusterTestKit cluster = null;
        try {
            TestKitNodes nodes = new TestKitNodes.Builder()
                    .setCombined(true)
                    .setNumBrokerNodes(1)
                    .setNumControllerNodes(1)
                    .build();
            cluster = new KafkaClusterTestKit.Builder(nodes)
                    // The default 128 MiB dedupe buffer is heap in this JVM; tests need a few MiB at most.
                    .setConfigProp("log.cleaner.dedupe.buffer.size", String.valueOf(4 * 1024 * 1024))
                    .setConfigProp("group.initial.rebalance.delay.ms", "0")
                    .setConfigProp("auto.create.topics.enable", "false")
                    .build();
            cluster.format();
            cluster.startup();
            cluster.waitForReadyBrokers();
            return new InProcessKafkaBroker(cluster);
        } catch (Exception e) {
            if (cluster != null) {
                closeQuietly(cluster, e);
            }
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("could not start the in-process Kafka broker", e);
        }
    }

    /** Stops serving clients: the broker side shuts down and its port refuses connections. */
    public void stopBroker() {
        broker().shutdown();
        broker().awaitShutdown();
        brokerStopped = true;
    }

    /** Serves clients again, on the same port, with the same data. */
    public void startBroker() {
        brokerStopped = false;
        broker().startup();
        try {
            cluster.waitForReadyBrokers();
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("the broker did not come back", e);
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
        return "in-process";
    }

    /** Closing a cluster whose broker is stopped hangs for minutes in the test kit: it is started first. */
    @Override
    public void close() {
        try {
            if (brokerStopped) {
                startBroker();
            }
            cluster.close();
        } catch (Exception e) {
            throw new IllegalStateException("could not stop the in-process Kafka broker", e);
        }
    }

    private static void closeQuietly(KafkaClusterTestKit cluster, Exception cause) {
        try {
            cluster.close();
        } catch (Exception suppressed) {
            cause.addSuppressed(suppressed);
        }
    }
}
