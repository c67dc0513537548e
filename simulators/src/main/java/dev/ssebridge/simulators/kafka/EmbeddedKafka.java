package dev.ssebridge.simulators.kafka;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * A real single-node Kafka (KRaft, combined broker and controller) inside this process, from the
 * official Kafka jars, for the demo: formatted into a temporary directory, deleted again on close; or into a
 * directory of the caller's, formatted on first use and kept, so that a restarted broker has its topics, offsets and
 * records again (the soak benchmark restarts it).
 */
public final class EmbeddedKafka implements AutoCloseable {

    private final KafkaRaftServer server;
    private final Path dataDir;
    private final boolean temporary;
    private final String bootstrapServers;

    private EmbeddedKafka(KafkaRaftServer server, Path dataDir, boolean temporary, String bootstrapServers) {
        this.server = server;
        this.dataDir = dataDir;
        this.temporary = temporary;
        this.bootstrapServers = bootstrapServers;
    }

    /**
     * Starts a broker listening on {@code host:port} for clients; its controller listens on
     * {@code controllerPort}.
     */
    public static EmbeddedKafka start(String host, int port, int controllerPort) {
        return start(host, port, controllerPort, null);
    }

    /**
     * As {@link #start(String, int, int)}, keeping the broker's data in {@code kept} (null: a temporary
     * directory, deleted on close). A directory already formatted (its {@code meta.properties}) is used as it is.
     */
    public static EmbeddedKafka start(String host, int port, int controllerPort, Path kept) {
        Path dataDir;
        try {
            dataDir = kept == null ? Files.createTempDirectory("ssebridge-kafka-") : Files.createDirectories(kept);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        boolean temporary = kept == null;
        boolean formatted = Files.exists(dataDir.resolve("meta.properties"));
        Properties props = new Properties();
        props.put("process.roles", "broker,controller");
        props.put("node.id", "1");
        props.put("listeners", "PLAINTEXT://" + host + ":" + port + ",CONTROLLER://" + host + ":" + controllerPort);
        props.put("advertised.listeners", "PLAINTEXT://" + host + ":" + port);
        props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        props.put("controller.listener.names", "CONTROLLER");
        props.put("inter.broker.listener.name", "PLAINTEXT");
        props.put("controller.quorum.voters", "1@" + host + ":" + controllerPort);
        props.put("log.dirs", dataDir.toString());
        props.put("num.partitions", "3");
        props.put("offsets.topic.replication.factor", "1");
        props.put("transaction.state.log.replication.factor", "1");
        props.put("transaction.state.log.min.isr", "1");
        props.put("group.initial.rebalance.delay.ms", "0");
        props.put("auto.create.topics.enable", "false");
        // The default 128 MiB cleaner buffer would sit in this JVM's heap; the demo needs little.
        props.put("log.cleaner.dedupe.buffer.size", String.valueOf(8 * 1024 * 1024));
        KafkaConfig config = KafkaConfig.fromProps(props);
        try {
            if (!formatted) {
                format(dataDir);
            }
            KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
            server.startup();
            return new EmbeddedKafka(server, dataDir, temporary, host + ":" + port);
        } catch (Exception e) {
            if (temporary) {
                delete(dataDir);
            }
            throw new IllegalStateException("could not start the embedded Kafka broker on " + host + ":" + port
                    + " (is the port in use?)", e);
        }
    }

    private static void format(Path dataDir) throws Exception {
        new Formatter()
                .setClusterId(Uuid.randomUuid().toString())
                .setNodeId(1)
                .setDirectories(List.of(dataDir.toString()))
                .setMetadataLogDirectory(dataDir.toString())
                .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                .setControllerListenerName("CONTROLLER")
                .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                .run();
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    @Override
    public void close() {
        server.shutdown();
        server.awaitShutdown();
        if (temporary) {
            delete(dataDir);
        }
    }

    private static void delete(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // A temporary directory left behind is not worth failing the shutdown for.
        }
    }
}
