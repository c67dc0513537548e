package dev.ssebridge.bridge.schema;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** Schemas by id and by subject version for unit tests; the registry itself is exercised by SchemaRegistryIT. */
final class InMemorySchemas implements SchemaSource {

    private final Map<Integer, RegistrySchema> byId = new HashMap<>();
    private final Map<String, RegistrySchema> byVersion = new HashMap<>();
    final AtomicInteger requests = new AtomicInteger();
    volatile boolean down;

    InMemorySchemas add(int id, String type, String schema, RegistrySchema.Reference... references) {
        byId.put(id, new RegistrySchema(type, schema, List.of(references)));
        return this;
    }

    InMemorySchemas addVersion(String subject, int version, String type, String schema) {
        byVersion.put(subject + "/" + version, new RegistrySchema(type, schema, new ArrayList<>()));
        return this;
    }

    @Override
    public RegistrySchema byId(int id) throws SchemaNotFoundException, RegistryUnavailableException {
        return answer(byId.get(id), "schema id " + id);
    }

    @Override
    public RegistrySchema byVersion(String subject, int version) throws SchemaNotFoundException, RegistryUnavailableException {
        return answer(byVersion.get(subject + "/" + version), subject + " version " + version);
    }

    private RegistrySchema answer(RegistrySchema schema, String what) throws SchemaNotFoundException, RegistryUnavailableException {
        requests.incrementAndGet();
        if (down) {
            throw new RegistryUnavailableException("test registry is down", null);
        }
        if (schema == null) {
            throw new SchemaNotFoundException(what + " not found");
        }
        return schema;
    }
}
