package dev.ssebridge.bridge.channel;

/**
 * A named stream of events backed by one Kafka topic: configured under {@code bridge.channels}, or a member of a
 * family of topics ({@link ChannelFamily}), made when a stream first asks for it.
 *
 * @param name      path segment and cursor entry, e.g. {@code training}
 * @param topic     Kafka topic
 * @param eventName SSE {@code event:} name of its records, e.g. {@code training_progress}
 * @param tag           16-bit identifier of the channel inside cursors (see {@link ChannelTag})
 * @param keyParameter  query parameter that filters it by Kafka key (e.g. {@code task_id}), or null
 * @param severityField top-level value field holding a severity, which {@code min_severity} filters on, or null
 * @param stateField    top-level value field that, with the Kafka key, names one piece of state (the dashboard's
 *                      {@code update_type}: a portfolio's metrics, positions and orders are three values), or null
 *                      when the key alone does; snapshots and conflation keep one value per such state key
 * @param family        the family it is a member of (its name is then {@code <family>/<value>}), or null for a
 *                      configured channel
 */
public record Channel(String name, String topic, String eventName, int tag, String keyParameter,
                      String severityField, String stateField, String family) {

    /** A configured channel. */
    public Channel(String name, String topic, String eventName, int tag, String keyParameter, String severityField,
                   String stateField) {
        this(name, topic, eventName, tag, keyParameter, severityField, stateField, null);
    }

    /**
     * The name its settings, grants and metrics are under: its own, or its family's for a member (members share
     * their family's settings, and a metric tag per topic would let a flood of names grow the registry).
     */
    public String configName() {
        return family == null ? name : family;
    }

    /** Whether it is a family's member, made on demand, rather than a configured channel. */
    public boolean isMember() {
        return family != null;
    }

    /**
     * The key one piece of state is kept under: the Kafka key, with the state field's value when the channel
     * has one. Null for a record without a key (never state).
     */
    public String stateKey(String key, String stateValue) {
        if (key == null || stateField == null) {
            return key;
        }
        return key + '\u0000' + (stateValue == null ? "" : stateValue);
    }

    /** Whether {@code stateKey} is a piece of state under Kafka key {@code key} (which a tombstone of it deletes). */
    public boolean isStateOf(String stateKey, String key) {
        return stateKey.equals(key) || (stateField != null && stateKey.length() > key.length()
                && stateKey.startsWith(key) && stateKey.charAt(key.length()) == '\u0000');
    }

    /**
     * The tag: channels are map keys on the delivery path (a lookup per event per connection), and the
     * record's generated hash of six fields showed in profiles. Consistent with {@code equals}: equal
     * channels have equal tags.
     */
    @Override
    public int hashCode() {
        return tag;
    }

    /**
     * Field by field as a record's, but the same instance first: every channel is one instance from the
     * configuration, and the delivery path compares channels several times per event per connection.
     */
    @Override
    public boolean equals(Object o) {
        return this == o || o instanceof Channel other && tag == other.tag && name.equals(other.name)
                && topic.equals(other.topic) && eventName.equals(other.eventName)
                && java.util.Objects.equals(keyParameter, other.keyParameter)
                && java.util.Objects.equals(severityField, other.severityField)
                && java.util.Objects.equals(stateField, other.stateField)
                && java.util.Objects.equals(family, other.family);
    }
}
