package dev.ssebridge.simulators.encoding;

import dev.ssebridge.schemas.ConfluentFraming;
import dev.ssebridge.schemas.EventType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Payloads as Avro records of {@code avro/<event>.avsc} (the Avro form of each JSON Schema), registered in the
 * registry, in the wire format. A payload is turned into its JSON tree and the tree into a record of the schema:
 * a field the payload leaves out is the union's null; a union of records takes the first record whose fields
 * the value has.
 */
final class AvroValues implements ValueEncoding {

    private final JsonMapper json;
    private final SchemaRegistration registry;
    private final Map<EventType, Schema> schemas = new EnumMap<>(EventType.class);
    private final Map<EventType, String> texts = new EnumMap<>(EventType.class);

    AvroValues(JsonMapper json, SchemaRegistration registry) {
        this.json = json;
        this.registry = registry;
        for (EventType type : EventType.values()) {
            String text = resource("avro/" + type.eventName() + ".avsc");
            texts.put(type, text);
            schemas.put(type, new Schema.Parser().parse(text));
        }
    }

    @Override
    public void prepare(String topic, EventType type) {
        registry.idFor(topic, "AVRO", texts.get(type));
    }

    @Override
    public byte[] encode(String topic, EventType type, Object payload) {
        Schema schema = schemas.get(type);
        Object record = record(type, payload);
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        try {
            new GenericDatumWriter<>(schema).write(record, encoder);
            encoder.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return ConfluentFraming.frame(registry.idFor(topic, "AVRO", texts.get(type)), out.toByteArray());
    }

    /** {@code payload} as a record of its event's schema. */
    Object record(EventType type, Object payload) {
        return value(schemas.get(type), json.valueToTree(payload));
    }

    Schema schema(EventType type) {
        return schemas.get(type);
    }

    /** {@code node} as a value of {@code schema}. */
    static Object value(Schema schema, JsonNode node) {
        switch (schema.getType()) {
            case RECORD -> {
                GenericRecord record = new GenericData.Record(schema);
                for (Schema.Field field : schema.getFields()) {
                    JsonNode value = node.get(field.name());
                    record.put(field.name(), value == null || value.isNull() ? null : value(field.schema(), value));
                }
                return record;
            }
            case UNION -> {
                for (Schema branch : schema.getTypes()) {
                    if (branch.getType() != Schema.Type.NULL && fits(branch, node)) {
                        return value(branch, node);
                    }
                }
                throw new IllegalArgumentException("no branch of " + schema + " fits " + node);
            }
            case ENUM -> {
                return new GenericData.EnumSymbol(schema, node.asString());
            }
            case ARRAY -> {
                List<Object> items = new ArrayList<>();
                node.forEach(item -> items.add(value(schema.getElementType(), item)));
                return items;
            }
            case MAP -> {
                Map<String, Object> entries = new HashMap<>();
                node.properties().forEach(e -> entries.put(e.getKey(), value(schema.getValueType(), e.getValue())));
                return entries;
            }
            case INT -> {
                return "date".equals(logicalType(schema)) ? (int) LocalDate.parse(node.asString()).toEpochDay()
                        : node.asInt();
            }
            case LONG -> {
                return node.asLong();
            }
            case DOUBLE -> {
                return node.asDouble();
            }
            case FLOAT -> {
                return (float) node.asDouble();
            }
            case BOOLEAN -> {
                return node.asBoolean();
            }
            case STRING -> {
                return node.asString();
            }
            default -> throw new IllegalArgumentException("the simulators' schemas have no " + schema.getType());
        }
    }

    /** Whether {@code node} can be a value of {@code schema} (for picking a union's branch). */
    private static boolean fits(Schema schema, JsonNode node) {
        return switch (schema.getType()) {
            case RECORD -> node.isObject() && schema.getFields().stream()
                    .allMatch(f -> f.hasDefaultValue() || node.has(f.name()));
            case ARRAY -> node.isArray();
            case MAP -> node.isObject();
            case STRING, ENUM -> node.isString();
            case INT, LONG -> "date".equals(logicalType(schema)) ? node.isString() : node.isIntegralNumber();
            case DOUBLE, FLOAT -> node.isNumber();
            case BOOLEAN -> node.isBoolean();
            default -> false;
        };
    }

    private static String logicalType(Schema schema) {
        return schema.getLogicalType() == null ? null : schema.getLogicalType().getName();
    }

    static String resource(String name) {
        try (InputStream in = AvroValues.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("no " + name + " on the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
