package dev.ssebridge.bridge.kafka;

import dev.ssebridge.bridge.config.BridgeProperties;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Settings of the Kafka clients the bridge creates for one cluster. User settings under
 * {@code bridge.kafka.properties} (or the cluster's {@code bridge.clusters.<name>.properties}) pass through unchanged
 * (security, timeouts, ...); the bridge then fixes what its design depends on.
 */
final class KafkaClients {

    private final String bootstrapServers;
    private final Map<String, String> properties;
    private final String clientIdPrefix;

    /** The clients of cluster {@code name}, whose ids start with the prefix (and, beside the default, its name). */
    KafkaClients(String name, BridgeProperties.ClusterProperties cluster, BridgeProperties.KafkaProperties kafka) {
        this.bootstrapServers = cluster.bootstrapServers();
        this.properties = cluster.properties();
        this.clientIdPrefix = name.equals(BridgeProperties.DEFAULT_CLUSTER) ? kafka.clientIdPrefix()
                : kafka.clientIdPrefix() + "-" + name;
    }

    /**
     * Consumer settings for manual assignment: no group, nothing committed, bytes in (the bridge
     * decodes values itself so that a bad record is skipped, not fatal).
     */
    public Map<String, Object> consumer(String clientIdSuffix) {
        Map<String, Object> props = new HashMap<>(properties);
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId(clientIdSuffix));
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        // Positions the tail has passed may be deleted by retention while it lags: continue from the
        // earliest record still held rather than jumping to the end.
        props.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // Latency: return a fetch as soon as one record is there.
        props.putIfAbsent(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 100);
        return props;
    }

    public Admin admin() {
        Map<String, Object> props = new HashMap<>(properties);
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(AdminClientConfig.CLIENT_ID_CONFIG, clientId("admin"));
        // Look-ups for requests waiting on an answer: fail in seconds, not the default minute.
        props.putIfAbsent(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        props.putIfAbsent(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
        for (String consumerOnly : new String[] {
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, ConsumerConfig.FETCH_MIN_BYTES_CONFIG}) {
            props.remove(consumerOnly);
        }
        return Admin.create(props);
    }

    public String clientId(String suffix) {
        // A family member's name holds a '/', which JMX names and quotas would have to quote: a '.' instead.
        return clientIdPrefix + "-" + suffix.replace('/', '.');
    }
}
