package dev.ssebridge.testsupport;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

/** Fresh, uniquely named topics on the test broker, so tests never see each other's records. */
public final class TestTopics {

    private TestTopics() {
    }

    /** Creates a topic named {@code <prefix>-<random>} and returns its name. */
    public static String create(String prefix, int partitions) {
        return create(prefix, partitions, Map.of());
    }

    public static String create(String prefix, int partitions, Map<String, String> configs) {
        return createAll(List.of(prefix), partitions, configs).get(prefix);
    }

    /** One fresh topic per prefix, created in one request; returns prefix to topic name. */
    public static Map<String, String> createAll(List<String> prefixes, int partitions, Map<String, String> configs) {
        return createAll(TestKafka.broker(), prefixes, partitions, configs);
    }

    /** As {@link #createAll(List, int, Map)}, on another broker than the shared one (one a test started itself). */
    public static Map<String, String> createAll(KafkaBroker broker, List<String> prefixes, int partitions,
                                                Map<String, String> configs) {
        Map<String, String> names = new LinkedHashMap<>();
        prefixes.forEach(prefix -> names.put(prefix, freshName(prefix)));
        List<NewTopic> topics = names.values().stream()
                // The broker's default replication factor: 1, or 3 on a cluster of three (InProcessKafkaBroker).
                .map(name -> new NewTopic(name, Optional.of(partitions), Optional.empty()).configs(configs))
                .toList();
        try (Admin admin = Admin.create(broker.adminClientProperties())) {
            admin.createTopics(topics).all().get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not create topics " + names.values(), e);
        }
        return names;
    }

    /** A name {@code <prefix>-<random>} no topic has yet, as the fresh topics get. */
    public static String freshName(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** An Admin client for the test broker; the caller closes it. */
    public static Admin admin() {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers());
        return Admin.create(props);
    }
}
