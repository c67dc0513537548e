package dev.ssebridge.schemas;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Validates envelopes and payloads against the JSON Schemas in this module.
 * Built once (schema compilation is the expensive part) and thread-safe afterwards.
 */
public final class EventValidator {

    private final Schema envelope;
    private final Map<EventType, Schema> payloads = new EnumMap<>(EventType.class);

    public EventValidator() {
        SchemaRegistryConfig config = SchemaRegistryConfig.builder()
                .formatAssertionsEnabled(true)
                .build();
        SchemaRegistry registry = SchemaRegistry.withDefaultDialect(
                SpecificationVersion.DRAFT_2020_12, builder -> builder.schemaRegistryConfig(config));
        this.envelope = load(registry, "schemas/envelope.schema.json");
        for (EventType type : EventType.values()) {
            payloads.put(type, load(registry, type.schemaResource()));
        }
    }

    /** Violations of the payload schema of {@code type} by the JSON text {@code json}; empty when valid. */
    public List<Violation> validatePayload(EventType type, String json) {
        return toViolations(payloads.get(type).validate(json, InputFormat.JSON));
    }

    /** Violations of the envelope schema by {@code json}; does not look inside {@code data}. */
    public List<Violation> validateEnvelope(String json) {
        return toViolations(envelope.validate(json, InputFormat.JSON));
    }

    private static List<Violation> toViolations(List<Error> errors) {
        return errors.stream()
                .map(e -> {
                    String location = e.getInstanceLocation().toString();
                    return new Violation(location, location + ": " + e.getMessage());
                })
                .toList();
    }

    private static Schema load(SchemaRegistry registry, String resource) {
        try (InputStream in = EventValidator.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("schema not on the classpath: " + resource);
            }
            return registry.getSchema(in, InputFormat.JSON);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read schema " + resource, e);
        }
    }
}
