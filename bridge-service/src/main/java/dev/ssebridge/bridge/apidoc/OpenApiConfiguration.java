package dev.ssebridge.bridge.apidoc;

import dev.ssebridge.bridge.channel.Channels;
import dev.ssebridge.bridge.config.BridgeProperties;
import dev.ssebridge.schemas.EventType;
import io.swagger.v3.core.util.Json31;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.parameters.QueryParameter;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The OpenAPI description at {@code /v3/api-docs} (Swagger UI at {@code /swagger-ui.html}). The event
 * payload schemas are the JSON Schemas of the schemas module, added as components as they are (OpenAPI
 * 3.1 schemas are JSON Schema 2020-12), so the documentation cannot drift from what producers validate
 * against.
 */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

    /** Component name of the SSE envelope; the stream endpoints refer to it. */
    static final String ENVELOPE = "sse_envelope";

    @Bean
    OpenAPI bridgeOpenApi() {
        return new OpenAPI().info(new Info()
                .title("Kafka SSE Bridge")
                .version("v1")
                .license(new License().name("Apache-2.0"))
                .description("""
                        Kafka topics as Server-Sent Events. Every event's `id:` is a cursor (the next Kafka \
                        offset of every partition of the stream); send it back as `Last-Event-ID` (EventSource \
                        does so on reconnect) or `last_event_id` to resume exactly. A cursor wins over `since`, \
                        which wins over `from`. Errors are RFC 9457 `application/problem+json`."""));
    }

    /** The {@code channel} path parameters list the configured channels. */
    @Bean
    OpenApiCustomizer channelNames(Channels channels) {
        return openApi -> openApi.getPaths().values().forEach(path -> path.readOperations().forEach(operation -> {
            if (operation.getParameters() != null) {
                operation.getParameters().stream()
                        .filter(p -> "path".equals(p.getIn()) && "channel".equals(p.getName()))
                        .forEach(p -> p.setSchema(new StringSchema()._enum(List.copyOf(channels.names()))));
            }
        }));
    }

    /**
     * The channels' own query parameters, from the configuration (so a deployment's channels are described, not the
     * demo's): each channel's key parameter ({@code key-parameter}, e.g. {@code task_id}) on every stream and history
     * operation, after {@code key}; which channels {@code min_severity} applies to; an example of {@code channels}.
     */
    @Bean
    OpenApiCustomizer channelParameters(BridgeProperties properties) {
        Map<String, List<String>> byParameter = new java.util.TreeMap<>();
        List<String> withSeverity = new java.util.ArrayList<>();
        properties.channels().forEach((name, channel) -> {
            if (channel.keyParameter() != null) {
                byParameter.computeIfAbsent(channel.keyParameter(), p -> new java.util.ArrayList<>()).add(name);
            }
            if (channel.severityField() != null) {
                withSeverity.add(name);
            }
        });
        List<String> names = List.copyOf(properties.channels().keySet());
        return openApi -> openApi.getPaths().values().forEach(item -> item.readOperations().forEach(operation -> {
            List<Parameter> parameters = operation.getParameters();
            if (parameters == null) {
                return;
            }
            for (int i = 0; i < parameters.size(); i++) {
                Parameter parameter = parameters.get(i);
                if (!"query".equals(parameter.getIn())) {
                    continue;
                }
                switch (parameter.getName()) {
                    case "key" -> {
                        int at = i + 1;
                        for (Map.Entry<String, List<String>> e : byParameter.entrySet()) {
                            parameters.add(at++, new QueryParameter().name(e.getKey())
                                    .description(String.join(", ", e.getValue()) + " only: these values of its Kafka key "
                                            + "(comma-separated or repeated); another channel of the stream is not "
                                            + "filtered by it")
                                    .schema(new StringSchema()));
                        }
                        i = at - 1;
                    }
                    case "min_severity" -> parameter.setDescription(parameter.getDescription()
                            + (withSeverity.isEmpty() ? " No configured channel has a severity field."
                            : " Channels with a severity field: " + String.join(", ", withSeverity) + "."));
                    case "channels" -> parameter.setExample(String.join(",", names.subList(0, Math.min(2, names.size()))));
                    default -> { }
                }
            }
        }));
    }

    /**
     * What security and admission control add to the API: 429 on every stream (always on), and when tokens
     * are required, the three ways to send one and the 401/403 answers.
     */
    @Bean
    OpenApiCustomizer accessControl(BridgeProperties properties) {
        return openApi -> {
            BridgeProperties.SecurityProperties security = properties.security();
            if (security.enabled()) {
                openApi.getComponents()
                        .addSecuritySchemes("bearer", new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer")
                                .bearerFormat("JWT").description("Authorization: Bearer <JWT>"))
                        .addSecuritySchemes("access_token", new SecurityScheme().type(SecurityScheme.Type.APIKEY)
                                .in(SecurityScheme.In.QUERY).name("access_token")
                                .description("The JWT as a query parameter, for EventSource (which cannot set headers)"));
                if (!security.cookieName().isEmpty()) {
                    openApi.getComponents().addSecuritySchemes("cookie", new SecurityScheme()
                            .type(SecurityScheme.Type.APIKEY).in(SecurityScheme.In.COOKIE).name(security.cookieName())
                            .description("The JWT in a cookie, for same-origin pages"));
                }
            }
            openApi.getPaths().forEach((path, item) -> {
                if (!path.startsWith("/api/")) {
                    return;
                }
                item.readOperations().forEach(operation -> {
                    boolean stream = operation.getResponses().get("200") != null
                            && operation.getResponses().get("200").getContent() != null
                            && operation.getResponses().get("200").getContent().containsKey("text/event-stream");
                    if (stream) {
                        operation.getResponses().addApiResponse("429", problem(ApiDocs.TOO_MANY));
                    }
                    if (security.enabled()) {
                        operation.addSecurityItem(new SecurityRequirement().addList("bearer"))
                                .addSecurityItem(new SecurityRequirement().addList("access_token"));
                        if (!security.cookieName().isEmpty()) {
                            operation.addSecurityItem(new SecurityRequirement().addList("cookie"));
                        }
                        operation.getResponses().addApiResponse("401", problem(ApiDocs.UNAUTHORIZED));
                        operation.getResponses().addApiResponse("403", problem(ApiDocs.FORBIDDEN));
                    }
                });
            });
        };
    }

    /**
     * Which Kafka topic each channel reads and how its records are written, appended to the API's
     * description: whatever the topic holds (JSON, Avro, Protobuf), the {@code data:} of its events is JSON,
     * and for registry formats the schema of that JSON is the registry subject's, not a component here.
     */
    @Bean
    OpenApiCustomizer channelSources(BridgeProperties properties) {
        return openApi -> {
            StringBuilder text = new StringBuilder("\n\n| channel | topic | event | record values | record keys |\n"
                    + "| --- | --- | --- | --- | --- |\n");
            properties.channels().forEach((name, channel) -> text.append("| `").append(name).append("` | `")
                    .append(channel.topic()).append("` | `").append(channel.eventName()).append("` | ")
                    .append(valueSource(channel)).append(" | ").append(channel.keyFormat().label()).append(" |\n"));
            text.append("""

                    Avro, Protobuf and JSON Schema records arrive as JSON: Avro unions as the plain value, enums as \
                    their symbols, logical types in ISO-8601; Protobuf in the proto3 JSON mapping with the field \
                    names of the `.proto` (64-bit integers as strings). Records that cannot be decoded are skipped \
                    and counted (`ssebridge_records_skipped_total`); while the schema registry cannot be reached the \
                    channel waits and loses nothing.""");
            Info info = openApi.getInfo();
            info.setDescription(info.getDescription() + text);
        };
    }

    private static String valueSource(BridgeProperties.ChannelProperties channel) {
        return switch (channel.valueFormat()) {
            case JSON -> "JSON";
            case AVRO, PROTOBUF -> channel.schemaFile() != null
                    ? channel.valueFormat().label() + " of `" + channel.schemaFile().getFileName() + "` (no wire header)"
                    : channel.valueFormat().label() + ", schema from the registry (subject `" + channel.topic() + "-value`)";
            case JSON_SCHEMA -> "JSON, Confluent wire format (JSON Schema in the registry)";
            case STRING -> "text";
        };
    }

    private static ApiResponse problem(String description) {
        return new ApiResponse().description(description).content(new Content().addMediaType(
                "application/problem+json", new MediaType().schema(new Schema<>().$ref("#/components/schemas/ProblemDetail"))));
    }

    @Bean
    OpenApiCustomizer eventSchemas() {
        return openApi -> {
            Map<String, Schema> schemas = openApi.getComponents().getSchemas();
            schemas.putAll(load("schemas/envelope.schema.json", ENVELOPE));
            for (EventType type : EventType.values()) {
                schemas.putAll(load(type.schemaResource(), type.eventName()));
            }
        };
    }

    /** A JSON Schema file as components ({@link SchemaComponents}), in swagger's model. */
    private static Map<String, Schema> load(String resource, String name) {
        Map<String, Schema> out = new java.util.LinkedHashMap<>();
        SchemaComponents.of(resource, name).forEach((component, schema) -> {
            try {
                out.put(component, Json31.mapper().readValue(schema.toString(), Schema.class));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + resource, e);
            }
        });
        return out;
    }
}
