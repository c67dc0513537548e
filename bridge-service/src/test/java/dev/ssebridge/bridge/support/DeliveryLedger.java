package dev.ssebridge.bridge.support;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import tools.jackson.databind.JsonNode;

/**
 * The value each record position carried the first time any client got it, shared by many clients: a position
 * delivered with two different values, or with a value Kafka never held there, is a bug.
 */
public final class DeliveryLedger {

    /** Where a record is: its channel, partition and offset. */
    private record Position(String channel, int partition, long offset) {
    }

    private final Map<Position, Integer> delivered = new ConcurrentHashMap<>();

    /** The same hash for a value however its JSON is laid out (the bridge writes it as it was produced). */
    public static int hash(JsonNode value) {
        return value.toString().hashCode();
    }

    /** Notes a delivery; false when the position was delivered before with another value. */
    boolean note(String channel, int partition, long offset, int hash) {
        Integer first = delivered.putIfAbsent(new Position(channel, partition, offset), hash);
        return first == null || first == hash;
    }

    /**
     * Deliveries whose value is not what Kafka holds at their position (or where it holds nothing).
     *
     * @param written channel -> partition -> offset -> value hash, read back from Kafka
     */
    public List<String> notWritten(Map<String, Map<Integer, Map<Long, Integer>>> written) {
        List<String> problems = new ArrayList<>();
        delivered.forEach((position, hash) -> {
            Integer value = written.get(position.channel()).getOrDefault(position.partition(), Map.of())
                    .get(position.offset());
            if (!hash.equals(value)) {
                problems.add(position + ": delivered a value that is not the record's (or no record there)");
            }
        });
        return problems;
    }
}
