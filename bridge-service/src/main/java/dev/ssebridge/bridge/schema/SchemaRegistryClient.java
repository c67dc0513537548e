package dev.ssebridge.bridge.schema;

import dev.ssebridge.bridge.config.SchemaRegistrySettings;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads schemas from a registry that speaks the Confluent REST API, with the JDK's HTTP client. Only two
 * calls are needed: a schema by id (what a record names) and a subject version (what a Protobuf schema's
 * imports name). Thread-safe; one client serves every channel.
 *
 * <p>Answers are sorted into three kinds, because the caller does opposite things with them: a schema;
 * "not found" (the Confluent error codes 40401/40402/40403 with a 404), after which records naming it are
 * skipped; anything else (no connection, time-out, 5xx, 401/403, 429, a 404 without such a code, which
 * means a wrong URL rather than a missing schema), after which the caller waits and retries.
 */
final class SchemaRegistryClient implements SchemaSource {

    private static final Logger log = LoggerFactory.getLogger(SchemaRegistryClient.class);
    private static final JsonMapper JSON = JsonMapper.shared();
    private static final String ACCEPT = "application/vnd.schemaregistry.v1+json, application/json;q=0.9";

    private final List<URI> urls;
    private final String authorization;
    private final HttpClient http;
    private final SchemaRegistrySettings settings;
    /** The URL that answered last; tried first, so a dead first URL costs one failure, not one per request. */
    private volatile int preferred;

    SchemaRegistryClient(SchemaRegistrySettings settings) {
        this.settings = settings;
        this.urls = settings.urls();
        if (settings.userInfo() != null) {
            this.authorization = "Basic " + Base64.getEncoder().encodeToString(settings.userInfo().getBytes(StandardCharsets.UTF_8));
        } else if (settings.bearerToken() != null) {
            this.authorization = "Bearer " + settings.bearerToken();
        } else {
            this.authorization = null;
        }
        this.http = HttpClient.newBuilder()
                .connectTimeout(settings.connectTimeout())
                .sslContext(RegistryTls.context(settings.ssl()))
                // Plain HTTP/1.1: some registries behind proxies mishandle the h2c upgrade the client would try.
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
    }

    @Override
    public RegistrySchema byId(int id) throws SchemaNotFoundException, RegistryUnavailableException {
        return schema(get("/schemas/ids/" + Integer.toUnsignedString(id)), "schema id " + id);
    }

    @Override
    public RegistrySchema byVersion(String subject, int version) throws SchemaNotFoundException, RegistryUnavailableException {
        String path = "/subjects/" + URLEncoder.encode(subject, StandardCharsets.UTF_8).replace("+", "%20") + "/versions/" + version;
        return schema(get(path), "subject " + subject + " version " + version);
    }

    private RegistrySchema schema(JsonNode body, String what) throws RegistryUnavailableException {
        JsonNode text = body.path("schema");
        if (!text.isString()) {
            throw new RegistryUnavailableException("the registry's answer for " + what + " has no schema text", null);
        }
        List<RegistrySchema.Reference> references = new ArrayList<>();
        for (JsonNode reference : body.path("references").values()) {
            references.add(new RegistrySchema.Reference(reference.path("name").asString(),
                    reference.path("subject").asString(), reference.path("version").asInt()));
        }
        return new RegistrySchema(body.path("schemaType").asString("AVRO"), text.stringValue(), references);
    }

    /** GETs {@code path} from each URL in turn, starting with the one that answered last. */
    private JsonNode get(String path) throws SchemaNotFoundException, RegistryUnavailableException {
        int first = preferred;
        List<String> failures = new ArrayList<>();
        Exception lastCause = null;
        for (int i = 0; i < urls.size(); i++) {
            int index = (first + i) % urls.size();
            URI uri = URI.create(urls.get(index) + path);
            try {
                JsonNode body = get(uri);
                if (index != first) {
                    log.info("Schema registry {} answers; using it first", urls.get(index));
                    preferred = index;
                }
                return body;
            } catch (IOException | Unanswered e) {
                failures.add(uri + ": " + describe(e));
                lastCause = e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RegistryUnavailableException("interrupted while asking the schema registry for " + path, e);
            }
        }
        throw new RegistryUnavailableException("no schema registry answered: " + String.join("; ", failures), lastCause);
    }

    private JsonNode get(URI uri) throws IOException, InterruptedException, Unanswered, SchemaNotFoundException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).GET()
                .timeout(settings.requestTimeout())
                .header("Accept", ACCEPT);
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        int status = response.statusCode();
        JsonNode body = parse(response.body());
        if (status == 200 && body != null && body.isObject()) {
            return body;
        }
        int errorCode = body == null ? -1 : body.path("error_code").asInt(-1);
        if (status == 404 && (errorCode == 40401 || errorCode == 40402 || errorCode == 40403)) {
            throw new SchemaNotFoundException(body.path("message").asString("not found") + " (" + errorCode + " from " + uri + ")");
        }
        throw new Unanswered("HTTP " + status + (errorCode > 0 ? " error_code " + errorCode : "")
                + (status == 404 ? " without a Confluent not-found code: is the URL the API root?" : ""));
    }

    private static JsonNode parse(byte[] body) {
        try {
            return body.length == 0 ? null : JSON.readTree(body);
        } catch (JacksonException e) {
            return null;
        }
    }

    private static String describe(Exception e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null ? "" : " " + message);
    }

    /** A registry URL gave no usable answer; the next one is tried. */
    private static final class Unanswered extends Exception {
        Unanswered(String message) {
            super(message, null, false, false);
        }

        @Override
        public String toString() {
            return getMessage();
        }
    }
}
