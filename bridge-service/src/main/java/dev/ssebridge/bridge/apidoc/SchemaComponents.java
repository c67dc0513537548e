package dev.ssebridge.bridge.apidoc;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A JSON Schema file of the schemas module as components of an API document (OpenAPI or AsyncAPI): its local
 * definitions ({@code $defs}) become components of their own, named {@code <name>_<definition>}, and references to
 * them are rewritten, because a {@code #/...} reference in such a document points into the document, not the schema.
 */
final class SchemaComponents {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private SchemaComponents() {
    }

    /** The schema at {@code resource} under {@code name}, and its definitions, in that order. */
    static Map<String, ObjectNode> of(String resource, String name) {
        try (InputStream in = SchemaComponents.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("no " + resource + " on the class path");
            }
            ObjectNode schema = (ObjectNode) JSON.readTree(in);
            schema.remove("$schema");
            schema.remove("$id");
            Map<String, ObjectNode> components = new LinkedHashMap<>();
            components.put(name, schema);
            JsonNode defs = schema.remove("$defs");
            if (defs != null) {
                defs.properties().forEach(def -> components.put(name + "_" + def.getKey(), (ObjectNode) def.getValue()));
            }
            components.values().forEach(component -> rewriteRefs(component, name));
            return components;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }

    private static void rewriteRefs(JsonNode node, String name) {
        if (node instanceof ObjectNode object) {
            JsonNode ref = object.get("$ref");
            if (ref != null && ref.asString().startsWith("#/$defs/")) {
                object.put("$ref", "#/components/schemas/" + name + "_" + ref.asString().substring("#/$defs/".length()));
            }
        }
        for (JsonNode child : List.copyOf(node.values())) {
            rewriteRefs(child, name);
        }
    }
}
