package dev.ssebridge.testsupport;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import kafka.server.BrokerServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.security.auth.SecurityProtocol;
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
    private final SecurityProtocol protocol;
    private volatile boolean brokerStopped;
    /** Nodes of a cluster of several whose broker a test stopped ({@link #killNode}). */
    private final Set<Integer> stoppedNodes = ConcurrentHashMap.newKeySet();

    private InProcessKafkaBroker(KafkaClusterTestKit cluster, SecurityProtocol protocol) {
        this.cluster = cluster;
        this.protocol = protocol;
    }

    public static InProcessKafkaBroker start() {
        return start(SecurityProtocol.PLAINTEXT, Map.of());
    }

    /**
     * Three combined nodes (broker and controller each), as a production cluster has: topics get three replicas
     * (the default replication factor) and need two in sync ({@code min.insync.replicas}). A node's broker stopped with
     * {@link #killNode} goes without a controlled shutdown (its leaderships are not handed over first), and the
     * controller notices it after a 3 s session timeout rather than the default 9 s.
     */
    public static InProcessKafkaBroker startThreeNodes() {
        return start(SecurityProtocol.PLAINTEXT, 3, Map.of(
                "default.replication.factor", "3",
                "min.insync.replicas", "2",
                "offsets.topic.replication.factor", "3",
                "unclean.leader.election.enable", "false",
                "controlled.shutdown.enable", "false",
                "broker.session.timeout.ms", "3000",
                "broker.heartbeat.interval.ms", "500"));
    }

    /**
     * A broker whose clients must authenticate with SASL/PLAIN ({@link #SASL_ADMIN} is a super user,
     * {@link #SASL_USER} has no rights unless ACLs grant them) and whose ACLs are enforced.
     */
    public static InProcessKafkaBroker startWithSaslAndAcls() {
        return start(SecurityProtocol.SASL_PLAINTEXT, Map.of(
                "authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer",
                "allow.everyone.if.no.acl.found", "false",
                // The controller listener stays PLAINTEXT (its peers are ANONYMOUS); clients use SASL on the other.
                "super.users", "User:" + SASL_ADMIN + ";User:ANONYMOUS"));
    }

    /** The SASL/PLAIN super user of {@link #startWithSaslAndAcls()} (the test kit's own). */
    public static final String SASL_ADMIN = "plain-admin";
    public static final String SASL_ADMIN_PASSWORD = "plain-admin-secret";
    /** A SASL/PLAIN user of {@link #startWithSaslAndAcls()} without any right of its own. */
    public static final String SASL_USER = "plain-user1";
    public static final String SASL_USER_PASSWORD = "plain-user1-secret";

    private static InProcessKafkaBroker start(SecurityProtocol protocol, Map<String, String> config) {
        return start(protocol, 1, config);
    }

    private static InProcessKafkaBroker start(SecurityProtocol protocol, int nodeCount, Map<String, String> config) {
        KafkaClusterTestKit cluster = null;
        try {
            // Several brokers get a controller of their own: stopping the broker of a combined node left the quorum
            // without an active controller here.
            TestKitNodes nodes = new TestKitNodes.Builder()
                    .setCombined(nodeCount == 1)
                    .setNumBrokerNodes(nodeCount)
                    .setNumControllerNodes(1)
                    .setBrokerSecurityProtocol(protocol)
                    .build();
            KafkaClusterTestKit.Builder builder = new KafkaClusterTestKit.Builder(nodes)
                    // The default 128 MiB dedupe buffer is heap in this JVM; tests need a few MiB at most.
                    .setConfigProp("log.cleaner.dedupe.buffer.size", String.valueOf(4 * 1024 * 1024))
                    .setConfigProp("group.initial.rebalance.delay.ms", "0")
                    .setConfigProp("auto.create.topics.enable", "false");
            config.forEach(builder::setConfigProp);
            cluster = builder.build();
            cluster.format();
            cluster.startup();
            cluster.waitForReadyBrokers();
            return new InProcessKafkaBroker(cluster, protocol);
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

    /** Logins the broker refused (SASL and TLS), over all its listeners since it started. */
    public long failedAuthentications() {
        return Math.round(broker().metrics().metrics().entrySet().stream()
                .filter(e -> e.getKey().group().equals("socket-server-metrics")
                        && e.getKey().name().equals("failed-authentication-total"))
                .mapToDouble(e -> ((Number) e.getValue().metricValue()).doubleValue())
                .sum());
    }

    private BrokerServer broker() {
        return cluster.brokers().values().iterator().next();
    }

    /** Lets {@link #SASL_USER} of {@link #startWithSaslAndAcls()} read (and describe) {@code topics}, as an operator's ACLs do. */
    public void grantRead(List<String> topics) {
        List<AclBinding> acls = new ArrayList<>();
        for (String topic : topics) {
            for (AclOperation operation : List.of(AclOperation.READ, AclOperation.DESCRIBE)) {
                acls.add(new AclBinding(new ResourcePattern(ResourceType.TOPIC, topic, PatternType.LITERAL),
                        new AccessControlEntry("User:" + SASL_USER, "*", operation, AclPermissionType.ALLOW)));
            }
        }
        try (Admin admin = Admin.create(adminClientProperties())) {
            admin.createAcls(acls).all().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("could not grant " + SASL_USER + " reading " + topics, e);
        }
    }

    /** The node that leads {@code partition} of {@code topic} now. */
    public int leaderOf(String topic, int partition) {
        try (Admin admin = Admin.create(adminClientProperties())) {
            return admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic)
                    .partitions().get(partition).leader().id();
        } catch (Exception e) {
            throw new IllegalStateException("could not find the leader of " + topic + "-" + partition, e);
        }
    }

    /** The ids of the brokers' nodes. */
    public java.util.SortedSet<Integer> nodeIds() {
        return new java.util.TreeSet<>(cluster.brokers().keySet());
    }

    /** The fewest in-sync replicas any partition of {@code topic} has now. */
    public int fewestInSync(String topic) {
        try (Admin admin = Admin.create(adminClientProperties())) {
            return admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic)
                    .partitions().stream().mapToInt(p -> p.isr().size()).min().orElse(0);
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("could not describe " + topic, e);
        }
    }

    /**
     * Stops the broker of node {@code id} at once: no controlled shutdown, so its partitions stay led by it until the
     * controller's session timeout. (Its process lives on: the test's JVM is that process.)
     */
    public void killNode(int id) {
        BrokerServer node = cluster.brokers().get(id);
        stoppedNodes.add(id);
        node.shutdown();
        node.awaitShutdown();
    }

    /** Starts the broker of node {@code id} again, with its data, and waits until every broker is ready. */
    public void restartNode(int id) {
        cluster.brokers().get(id).startup();
        stoppedNodes.remove(id);
        try {
            cluster.waitForReadyBrokers();
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("node " + id + " did not come back", e);
        }
    }

    @Override
    public String bootstrapServers() {
        return cluster.bootstrapServers();
    }

    /** Settings for a client of this broker with the broker's own (super user) credentials. */
    @Override
    public Properties adminClientProperties() {
        Properties props = cluster.clientProperties();
        if (protocol == SecurityProtocol.SASL_PLAINTEXT) {
            props.put("security.protocol", "SASL_PLAINTEXT");
            props.put("sasl.mechanism", "PLAIN");
            props.put("sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required username=\""
                    + SASL_ADMIN + "\" password=\"" + SASL_ADMIN_PASSWORD + "\";");
        }
        return props;
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
            for (Integer id : List.copyOf(stoppedNodes)) {
                restartNode(id);
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
