package dev.ssebridge.bridge.schema;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import java.time.Duration;

/**
 * Parsed writer schemas by registry id, bounded. A schema id never changes meaning, so a parsed schema is
 * kept until the bound evicts it. A schema that cannot be used (unknown id, unparseable text, wrong kind)
 * is remembered for {@link #FAILURE_TTL} only: long enough that a topic full of such records costs one
 * registry call per minute rather than one per record, short enough that a schema registered late (or a
 * registry that was pointed at the wrong cluster and fixed) is picked up. "Registry unavailable" is never
 * remembered: the next record asks again.
 */
final class WriterSchemaCache<T> {

    static final Duration FAILURE_TTL = Duration.ofMinutes(1);

    /** Fetches and parses the schema with an id. */
    @FunctionalInterface
    interface Loader<T> {
        T load(int id) throws NotDecodableException, RegistryUnavailableException;
    }

    /** Either a parsed schema or why there is none. */
    private record Entry<T>(T schema, NotDecodableException failure) {
    }

    private final Cache<Integer, Entry<T>> cache;
    private final Loader<T> loader;

    WriterSchemaCache(int maximumSize, Loader<T> loader) {
        this.loader = loader;
        this.cache = Caffeine.newBuilder()
                .maximumSize(maximumSize)
                .expireAfter(Expiry.<Integer, Entry<T>>writing((id, entry) ->
                        entry.failure() == null ? Duration.ofNanos(Long.MAX_VALUE) : FAILURE_TTL))
                .build();
    }

    T get(int id) throws NotDecodableException, RegistryUnavailableException {
        Entry<T> entry = cache.getIfPresent(id);
        if (entry == null) {
            // Two threads missing the same id both load it; rare, harmless, and keeps the checked exceptions.
            try {
                entry = new Entry<>(loader.load(id), null);
            } catch (NotDecodableException e) {
                entry = new Entry<>(null, e);
            }
            cache.put(id, entry);
        }
        if (entry.failure() != null) {
            throw entry.failure();
        }
        return entry.schema();
    }
}
