package dev.ssebridge.bridge.apidoc;

import dev.ssebridge.bridge.config.BridgeProperties;
import dev.ssebridge.bridge.config.PayloadFormat;
import dev.ssebridge.bridge.schema.AvroJsonSchema;
import dev.ssebridge.schemas.EventType;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Map;
import org.apache.avro.Schema;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The event contract as AsyncAPI 3.0, made from the configuration when the bridge starts: per configured channel its
 * address, the Kafka topic it reads and how that topic's values are written, the query parameters that filter it (as
 * the HTTP binding of its receive operation), and its messages: the channel's record event, whose {@code data} is
 * described by the JSON Schema of the values (the schemas module's for the seed's events; derived from the Avro
 * schema of a channel that reads plain Avro with a schema file), and the control events every stream may carry.
 * Served at {@code /asyncapi.json}.
 */
final class AsyncApiDocument {

    /** The control events, their payload's JSON Schema, and when a stream carries them. */
    private static final String CONTROL_EVENTS = """
            {
              "connected": {"summary": "First event of every stream; its id is the starting cursor.",
                "data": {"type": "object", "required": ["client_id", "channels", "events"], "properties": {
                  "client_id": {"type": "string"}, "channel": {"type": "string"},
                  "channels": {"type": "array", "items": {"type": "string"}},
                  "events": {"type": "object", "additionalProperties": {"type": "string"},
                    "description": "Each channel's event name."}}}},
              "ping": {"summary": "Keepalive, when the stream wrote nothing for the ping interval (30 s by default).",
                "data": {"type": "object"}},
              "delete": {"summary": "A tombstone (a record with no value): its key's state is gone.",
                "data": {"type": "object", "required": ["key", "channel"], "properties": {"key": {"type": ["string", "null"]},
                  "channel": {"type": "string", "description": "The channel whose key it was."}}}},
              "replay_gap": {"summary": "Records a cursor asked for are gone: deleted by retention, or the topic was deleted and re-created.",
                "data": {"type": "object", "required": ["channel", "reason"], "properties": {
                  "channel": {"type": "string"}, "reason": {"type": "string", "enum": ["retention", "topic_recreated"]},
                  "partition": {"type": "integer"}, "requested_offset": {"type": "integer"},
                  "first_available_offset": {"type": "integer"}, "lost": {"type": "integer"},
                  "requested_offsets": {"type": "array", "items": {"type": "integer"}}}}},
              "snapshot_end": {"summary": "With snapshot=true: the channel's snapshot (the latest event of every key) is complete; live events follow.",
                "data": {"type": "object", "required": ["channel"], "properties": {
                  "channel": {"type": "string"}, "keys": {"type": "integer"}, "sent": {"type": "integer"},
                  "truncated": {"type": "boolean"}, "evicted_keys": {"type": "integer"}}}},
              "stream_end": {"summary": "The bridge ends the stream; reconnect with the last id (EventSource does) to resume exactly.",
                "data": {"type": "object", "required": ["reason", "message"], "properties": {
                  "reason": {"type": "string", "enum": ["fell_behind", "shutdown", "replay_unavailable", "topic_recreated",
                    "token_expired", "replaced"]},
                  "message": {"type": "string"}}}}
            }""";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final ObjectNode document;

    /**
     * @throws IllegalArgumentException when a channel's schema file cannot be read (the application does not start,
     *                                  as for its decoder)
     */
    AsyncApiDocument(BridgeProperties properties) {
        this.document = build(properties);
    }

    /** The document, with this instance as its server. */
    String render(String scheme, String host) {
        ObjectNode copy = document.deepCopy();
        ObjectNode server = JSON.createObjectNode().put("host", host).put("protocol", scheme)
                .put("description", "This bridge instance; any instance serves any stream and resumes any cursor.");
        ObjectNode servers = JSON.createObjectNode();
        servers.set("bridge", server);
        copy.set("servers", servers);
        return JSON.writeValueAsString(copy);
    }

    private static ObjectNode build(BridgeProperties properties) {
        ObjectNode root = JSON.createObjectNode().put("asyncapi", "3.0.0");
        root.putObject("info").put("title", "Kafka SSE Bridge: events").put("version", "v1").put("description",
                "Kafka topics as Server-Sent Events (text/event-stream). Every event's data line holds the envelope "
                        + "{\"event\", \"data\", \"timestamp\"} (plus \"traceparent\" on a channel with trace-context); "
                        + "its id: line is a cursor: send it back as Last-Event-ID (EventSource does on reconnect) "
                        + "to resume exactly, on any instance. Streams and their query parameters: /v3/api-docs.");
        root.put("defaultContentType", "application/json");
        ObjectNode channels = root.putObject("channels");
        ObjectNode operations = root.putObject("operations");
        ObjectNode components = root.putObject("components");
        ObjectNode schemas = components.putObject("schemas");
        ObjectNode messages = components.putObject("messages");
        JsonNode control = JSON.readTree(CONTROL_EVENTS);
        control.propertyNames().forEach(name -> {
            schemas.set(name + "_data", control.get(name).get("data"));
            messages.set(name, message(name, control.get(name).get("summary").asString(), name + "_data", false, false));
        });
        ObjectNode multiplexed = JSON.createObjectNode().put("address", "/api/v1/sse/stream").put("title", "stream")
                .put("description", "Several channels on one connection (?channels=a,b): each event keeps its "
                        + "channel's name, one cursor covers them all.");
        ObjectNode multiplexedMessages = multiplexed.putObject("messages");
        properties.channels().forEach((name, channel) -> {
            schemas.set(name + "_value", valueSchema(name, channel, schemas));
            messages.set(name + "_record", message(channel.eventName(), "A record of topic " + channel.topic()
                    + ", as its channel delivers it.", name + "_value", true, channel.traceContext()));
            ObjectNode item = channels.putObject(name).put("address", "/api/v1/sse/" + name).put("title", name)
                    .put("description", "Kafka topic `" + channel.topic() + "` (values: "
                            + channel.valueFormat().label() + ", keys: " + channel.keyFormat().label()
                            + (channel.snapshot().enabled() ? "; keeps the latest value of every key for snapshot=true" : "")
                            + (channel.conflation().allowed() ? "; may be conflated (max_rate, slow clients)"
                            : "; every event arrives") + ").");
            ObjectNode channelMessages = item.putObject("messages");
            channelMessages.putObject(name + "_record").put("$ref", "#/components/messages/" + name + "_record");
            multiplexedMessages.putObject(name + "_record").put("$ref", "#/components/messages/" + name + "_record");
            for (String event : control.propertyNames()) {
                if (!event.equals("snapshot_end") || channel.snapshot().enabled()) {
                    channelMessages.putObject(event).put("$ref", "#/components/messages/" + event);
                }
            }
            operations.set("receive_" + name, operation(name, channelMessages, query(channel)));
        });
        control.propertyNames().forEach(event ->
                multiplexedMessages.putObject(event).put("$ref", "#/components/messages/" + event));
        channels.set("stream", multiplexed);
        return root;
    }

    /** A message: the SSE event {@code event}, whose envelope's data is {@code dataSchema}. */
    private static ObjectNode message(String event, String summary, String dataSchema, boolean record,
                                      boolean traceContext) {
        ObjectNode message = JSON.createObjectNode().put("name", event).put("title", event).put("summary", summary)
                .put("contentType", "application/json");
        ObjectNode payload = message.putObject("payload").put("type", "object");
        payload.putArray("required").add("event").add("data").add("timestamp");
        ObjectNode envelope = payload.putObject("properties");
        envelope.putObject("event").put("const", event);
        envelope.putObject("data").put("$ref", "#/components/schemas/" + dataSchema);
        envelope.putObject("timestamp").put("type", "string").put("format", "date-time").put("description",
                record ? "The Kafka record's timestamp, ISO-8601 UTC" : "The bridge's clock, ISO-8601 UTC");
        if (traceContext) {
            envelope.putObject("traceparent").put("type", "string").put("description",
                    "The W3C trace context of the record, when it carried one (trace-context is on)");
        }
        return message;
    }

    private static ObjectNode operation(String name, ObjectNode channelMessages, ObjectNode query) {
        ObjectNode operation = JSON.createObjectNode().put("action", "receive").put("title", "Stream " + name)
                .put("summary", "GET the channel's address with Accept: text/event-stream.");
        operation.putObject("channel").put("$ref", "#/channels/" + name);
        ArrayNode refs = operation.putArray("messages");
        channelMessages.propertyNames().forEach(id -> refs.addObject().put("$ref", "#/channels/" + name + "/messages/" + id));
        ObjectNode http = operation.putObject("bindings").putObject("http");
        http.put("method", "GET").put("bindingVersion", "0.3.0");
        http.set("query", query);
        return operation;
    }

    /** The query parameters that apply to the channel, as the JSON Schema of an object. */
    private static ObjectNode query(BridgeProperties.ChannelProperties channel) {
        ObjectNode query = JSON.createObjectNode().put("type", "object");
        ObjectNode parameters = query.putObject("properties");
        parameters.putObject("last_event_id").put("type", "string").put("description", "Cursor to resume after");
        parameters.putObject("since").put("type", "string").put("description", "ISO-8601 instant or duration ago");
        parameters.putObject("from").put("type", "string").putArray("enum").add("earliest").add("latest");
        parameters.putObject("client_id").put("type", "string");
        parameters.putObject("key").put("type", "string").put("description", "These Kafka keys, comma-separated");
        if (channel.keyParameter() != null) {
            parameters.putObject(channel.keyParameter()).put("type", "string")
                    .put("description", "These values of the Kafka key, comma-separated");
        }
        if (channel.severityField() != null) {
            parameters.putObject("min_severity").put("type", "string")
                    .put("description", "This severity (field " + channel.severityField() + ") and above")
                    .putArray("enum").add("low").add("medium").add("high").add("critical");
        }
        parameters.putObject("where").put("type", "string").put("description", "A CEL expression over data");
        if (channel.snapshot().enabled()) {
            parameters.putObject("snapshot").put("type", "boolean");
        }
        if (channel.conflation().allowed()) {
            parameters.putObject("max_rate").put("type", "number").put("exclusiveMinimum", 0).put("maximum", 100);
        }
        return query;
    }

    /** The JSON Schema of the channel's values as its clients get them; local definitions become components. */
    private static ObjectNode valueSchema(String name, BridgeProperties.ChannelProperties channel, ObjectNode schemas) {
        if (channel.valueFormat() == PayloadFormat.JSON) {
            return EventType.byEventName(channel.eventName())
                    .map(type -> seedSchema(type, name, schemas))
                    .orElseGet(() -> JSON.createObjectNode().put("description", "Any JSON document: the record value "
                            + "as produced"));
        }
        if (channel.valueFormat() == PayloadFormat.AVRO && channel.schemaFile() != null) {
            try {
                return AvroJsonSchema.of(new Schema.Parser().parse(Files.readString(channel.schemaFile())));
            } catch (IOException | RuntimeException e) {
                throw new IllegalArgumentException("bridge.channels." + name + ".schema-file: " + e.getMessage(), e);
            }
        }
        String source = channel.schemaFile() != null ? "the message of " + channel.schemaFile().getFileName()
                : "the writer schema of each record, from the registry (subject " + channel.topic() + "-value)";
        return JSON.createObjectNode().put("description", channel.valueFormat().label() + " records as JSON, shaped by "
                + source + ": see docs/schema-decoding.md");
    }

    /** The seed's schema of {@code type} as {@code <name>_value}'s; its definitions become components beside it. */
    private static ObjectNode seedSchema(EventType type, String name, ObjectNode schemas) {
        Map<String, ObjectNode> components = SchemaComponents.of(type.schemaResource(), name + "_value");
        components.forEach((component, schema) -> {
            if (!component.equals(name + "_value")) {
                schemas.set(component, schema);
            }
        });
        return components.get(name + "_value");
    }
}
