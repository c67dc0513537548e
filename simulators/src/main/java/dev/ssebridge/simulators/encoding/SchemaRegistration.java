package dev.ssebridge.simulators.encoding;

import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Registers the simulators' schemas with a registry that speaks the Confluent API (Confluent Schema Registry,
 * Apicurio's {@code /apis/ccompat/v7}, Karapace, Redpanda) and remembers the ids: the subject of a topic's
 * values is {@code <topic>-value} (Confluent's TopicNameStrategy). Registering a schema the subject already
 * holds returns its id again.
 */
final class SchemaRegistration {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final URI registry;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final Map<String, Integer> ids = new ConcurrentHashMap<>();

    /** @param registry the API root, e.g. {@code http://localhost:8081} or {@code .../apis/ccompat/v7} */
    SchemaRegistration(String registry) {
        String root = registry.endsWith("/") ? registry.substring(0, registry.length() - 1) : registry;
        this.registry = URI.create(root);
    }

    /** The id of {@code schema} (AVRO or PROTOBUF text) registered for {@code topic}'s values. */
    int idFor(String topic, String schemaType, String schema) {
        return ids.computeIfAbsent(topic + "\n" + schemaType + "\n" + schema, key -> register(topic, schemaType, schema));
    }

    /**
     * Fails when the registry files {@code id} as another type than was registered: a subject that already holds
     * Avro versions can keep its type for a Protobuf version (Apicurio does), and consumers would then be told
     * the records are Avro.
     */
    private void checkType(String topic, String subject, String schemaType, int id) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(registry + "/schemas/ids/" + id))
                .timeout(Duration.ofSeconds(10)).GET().build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException("the schema registry at " + registry + " does not give schema " + id
                    + ", which it just registered: HTTP " + response.statusCode() + " " + response.body());
        }
        JsonNode type = JSON.readTree(response.body()).get("schemaType");
        String filed = type == null || type.isNull() ? "AVRO" : type.asString();
        if (!filed.equals(schemaType)) {
            throw new IllegalStateException("the schema registry at " + registry + " files the " + schemaType
                    + " schema of " + topic + " (id " + id + ") as " + filed + ", because subject "
                    + URLDecoder.decode(subject, StandardCharsets.UTF_8) + " already holds " + filed
                    + " versions: delete that subject or use a fresh registry");
        }
    }

    private int register(String topic, String schemaType, String schema) {
        String subject = URLEncoder.encode(topic + "-value", StandardCharsets.UTF_8);
        String body = JSON.writeValueAsString(Map.of("schemaType", schemaType, "schema", schema));
        HttpRequest request = HttpRequest.newBuilder(URI.create(registry + "/subjects/" + subject + "/versions"))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            JsonNode answer = JSON.readTree(response.body());
            if (response.statusCode() / 100 != 2 || !answer.has("id")) {
                throw new IllegalStateException("the schema registry at " + registry + " did not register the "
                        + schemaType + " schema of " + topic + ": HTTP " + response.statusCode() + " " + response.body());
            }
            int id = answer.get("id").asInt();
            checkType(topic, subject, schemaType, id);
            return id;
        } catch (IOException e) {
            throw new IllegalStateException("the schema registry at " + registry + " does not answer: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
