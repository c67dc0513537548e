package dev.ssebridge.bridge.schema;

import java.util.HashSet;
import java.util.Set;
import org.apache.avro.LogicalType;
import org.apache.avro.Schema;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The JSON Schema (draft-07) of the JSON {@link AvroJson} writes for an Avro schema: what a client of a channel of
 * Avro records receives as {@code data}, for the channel's AsyncAPI description. Records become objects with every
 * field required (an optional field arrives as {@code null}, not absent) and no others; unions the plain value of a
 * branch ({@code anyOf}); logical types as {@link AvroJson} writes them (decimals as numbers, timestamps as ISO-8601
 * strings, bytes in base64). A record that contains itself is described once and then named, not expanded again.
 */
public final class AvroJsonSchema {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private AvroJsonSchema() {
    }

    public static ObjectNode of(Schema schema) {
        return of(schema, new HashSet<>());
    }

    private static ObjectNode of(Schema schema, Set<String> enclosing) {
        ObjectNode node = NODES.objectNode();
        if (schema.getDoc() != null && !schema.getDoc().isBlank()) {
            node.put("description", schema.getDoc());
        }
        // Only a logical type Avro accepted (as AvroJson sees it): an invalid one is its underlying type.
        LogicalType logical = schema.getLogicalType();
        String logicalName = logical != null ? logical.getName() : null;
        if (logicalName != null && logical(node, logicalName)) {
            return node;
        }
        switch (schema.getType()) {
            case RECORD -> {
                if (!enclosing.add(schema.getFullName())) {
                    return node.put("type", "object").put("description", "a " + schema.getFullName() + " record, as above");
                }
                node.put("type", "object").put("title", schema.getName()).put("additionalProperties", false);
                ObjectNode properties = node.putObject("properties");
                ArrayNode required = node.putArray("required");
                for (Schema.Field field : schema.getFields()) {
                    ObjectNode property = of(field.schema(), enclosing);
                    if (field.doc() != null && !field.doc().isBlank()) {
                        property.put("description", field.doc());
                    }
                    properties.set(field.name(), property);
                    required.add(field.name());
                }
                enclosing.remove(schema.getFullName());
            }
            case ENUM -> {
                node.put("type", "string");
                ArrayNode symbols = node.putArray("enum");
                schema.getEnumSymbols().forEach(symbols::add);
            }
            case ARRAY -> node.put("type", "array").set("items", of(schema.getElementType(), enclosing));
            case MAP -> node.put("type", "object").set("additionalProperties", of(schema.getValueType(), enclosing));
            case UNION -> {
                ArrayNode branches = node.putArray("anyOf");
                schema.getTypes().forEach(branch -> branches.add(of(branch, enclosing)));
            }
            case FIXED, BYTES -> node.put("type", "string").put("contentEncoding", "base64");
            case STRING -> node.put("type", "string");
            case INT, LONG -> node.put("type", "integer");
            // NaN and the infinities arrive as the strings "NaN", "Infinity", "-Infinity" (as proto3 JSON has them).
            case FLOAT, DOUBLE -> {
                ArrayNode either = node.putArray("anyOf");
                either.addObject().put("type", "number");
                either.addObject().put("type", "string").putArray("enum").add("NaN").add("Infinity").add("-Infinity");
            }
            case BOOLEAN -> node.put("type", "boolean");
            case NULL -> node.put("type", "null");
        }
        return node;
    }

    /** A logical type {@link AvroJson} writes its own way; false for one it writes as its underlying type. */
    private static boolean logical(ObjectNode node, String name) {
        switch (name) {
            case "decimal", "big-decimal" -> node.put("type", "number");
            case "uuid" -> node.put("type", "string").put("format", "uuid");
            case "date" -> node.put("type", "string").put("format", "date");
            case "time-millis", "time-micros" -> node.put("type", "string")
                    .put("description", "time of day, ISO-8601 without a zone, e.g. 13:45:30.123");
            case "timestamp-millis", "timestamp-micros", "timestamp-nanos" ->
                    node.put("type", "string").put("format", "date-time");
            case "local-timestamp-millis", "local-timestamp-micros", "local-timestamp-nanos" ->
                    node.put("type", "string").put("description", "local date and time, ISO-8601 without a zone");
            case "duration" -> {
                node.put("type", "object");
                ObjectNode properties = node.putObject("properties");
                for (String part : new String[] {"months", "days", "milliseconds"}) {
                    properties.putObject(part).put("type", "integer");
                }
            }
            default -> {
                return false;
            }
        }
        return true;
    }
}
