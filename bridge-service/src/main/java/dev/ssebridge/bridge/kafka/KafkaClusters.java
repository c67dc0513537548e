package dev.ssebridge.bridge.kafka;

import dev.ssebridge.bridge.channel.Channel;
import dev.ssebridge.bridge.config.BridgeProperties;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The Kafka clusters the channels read, by name: {@code default} ({@code bridge.kafka}) and those of
 * {@code bridge.clusters} that a channel or family names. Each has its own client settings and its own
 * {@link ClusterAccess} (one Admin client, and whether that cluster accepts the bridge's credentials): a refusal by
 * one cluster stops only its channels. A cluster no channel or family names gets no client.
 */
public final class KafkaClusters implements AutoCloseable {

    /** One cluster: its name, the settings of its clients, and its admin client and refusal state. */
    record Cluster(String name, KafkaClients clients, ClusterAccess access) {
    }

    private final Map<String, Cluster> byName;
    private final List<String> names;
    private final Function<Channel, String> clusterOf;

    KafkaClusters(BridgeProperties properties, RefusalBackoff backoff, Clock clock) {
        this.clusterOf = channel -> BridgeProperties.clusterName(channel.isMember()
                ? properties.families().get(channel.family()).cluster()
                : properties.channels().get(channel.name()).cluster());
        Set<String> used = new TreeSet<>();
        properties.channels().values().forEach(c -> used.add(BridgeProperties.clusterName(c.cluster())));
        properties.families().values().forEach(f -> used.add(BridgeProperties.clusterName(f.cluster())));
        Map<String, Cluster> clusters = new HashMap<>();
        for (String name : used) {
            KafkaClients clients = new KafkaClients(name, properties.cluster(name), properties.kafka());
            clusters.put(name, new Cluster(name, clients, new ClusterAccess(label(name), clients::admin, backoff,
                    clock)));
        }
        this.byName = Map.copyOf(clusters);
        this.names = List.copyOf(used);
    }

    /** How log lines name cluster {@code name}: "Kafka" for the default one, "Kafka cluster 'risk'" for another. */
    static String label(String name) {
        return name.equals(BridgeProperties.DEFAULT_CLUSTER) ? "Kafka" : "Kafka cluster '" + name + "'";
    }

    /** The name of the cluster {@code channel}'s topic is on. */
    public String nameOf(Channel channel) {
        return clusterOf.apply(channel);
    }

    /** The names of the clusters the bridge reads, in order. */
    public List<String> names() {
        return names;
    }

    Cluster of(Channel channel) {
        return byName.get(nameOf(channel));
    }

    Cluster named(String name) {
        return byName.get(name);
    }

    @Override
    public void close() {
        byName.values().forEach(cluster -> cluster.access().close());
    }
}
