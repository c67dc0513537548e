package dev.ssebridge.bridge.policy;

import dev.ssebridge.bridge.frame.ChannelRecord;
import dev.ssebridge.bridge.hub.ChannelEvent;
import dev.ssebridge.bridge.state.StateEntry;
import dev.ssebridge.bridge.where.EventValue;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * One channel's policy for one set of the claims it reads and path parameters: what every connection with that
 * set may see. Connections with the same set share one scope, so a record is evaluated once for all of them: the
 * verdict on a hub event is kept in a small cache keyed by the event itself (events reach the connections of a
 * scope in the tail's order, from one or a few event loops, so the event asked about is nearly always among the
 * last few evaluated). Records replayed from Kafka belong to one connection and are evaluated each time.
 *
 * <p>Thread-safe: the connections' event loops ask at once; a verdict raced by two loops is evaluated twice, with
 * the same result, and one of them kept.
 */
public final class PolicyScope {

    private static final int CACHE_SLOTS = 64;

    private final RecordPolicy policy;
    private final Key key;
    private final AtomicReferenceArray<Verdict> recent = new AtomicReferenceArray<>(CACHE_SLOTS);
    int references; // guarded by the policy's scope table

    private record Verdict(ChannelEvent event, boolean allowed) {
    }

    PolicyScope(RecordPolicy policy, Key key) {
        this.policy = policy;
        this.key = key;
    }

    /** Whether a hub event (live, ring, or conflated) may reach this scope's connections. */
    public boolean allows(ChannelEvent event) {
        int slot = (int) ((event.offset() * 31 + event.partition()) & (CACHE_SLOTS - 1));
        Verdict known = recent.get(slot);
        if (known != null && known.event() == event) {
            return known.allowed();
        }
        boolean allowed = policy.evaluate(this, event.key(), event.value(), event.headers(), event.partition(),
                event.offset(), event.timestamp());
        recent.set(slot, new Verdict(event, allowed));
        return allowed;
    }

    /** Whether a record replayed from Kafka for one connection may reach it. */
    public boolean allows(ChannelRecord record) {
        EventValue value = record.tombstone() ? EventValue.ABSENT
                : EventValue.ofJson(record.body(), record.valueOffset(), record.valueLength());
        return policy.evaluate(this, record.key(), value, record.headers(), record.partition(), record.offset(),
                record.timestamp());
    }

    /** Whether a snapshot entry (a key's latest value) may reach this scope's connections. */
    public boolean allows(StateEntry entry) {
        return policy.evaluate(this, entry.key(), entry.value(), entry.headers(), entry.partition(), entry.offset(),
                entry.timestamp());
    }

    Key key() {
        return key;
    }

    /** The claims the policy reads, as it evaluates them. */
    Map<String, Object> claims() {
        return key.claims();
    }

    Map<String, String> params() {
        return key.params();
    }

    /** The policy this scope belongs to, which counts and releases it. */
    public RecordPolicy policy() {
        return policy;
    }

    /** For the policy's table: the key this scope is shared under. */
    record Key(Map<String, Object> claims, Map<String, String> params) {
    }
}
