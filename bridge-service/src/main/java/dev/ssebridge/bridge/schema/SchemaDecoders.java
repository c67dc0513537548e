package dev.ssebridge.bridge.schema;

import dev.ssebridge.bridge.config.PayloadFormat;
import dev.ssebridge.bridge.config.SchemaRegistrySettings;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;

/**
 * Makes the {@link PayloadDecoder} for a channel's value or key format. One per bridge: it owns the registry
 * client, and the registry decoders (with their schema caches) are shared by every channel of a format,
 * since a schema id means the same thing on every topic.
 */
public final class SchemaDecoders {

    private final SchemaSource registry;
    private final int cacheSize;
    private final Map<PayloadFormat, PayloadDecoder> registryDecoders = new EnumMap<>(PayloadFormat.class);

    /** @param settings the registry, or null when no channel reads registry records */
    public SchemaDecoders(SchemaRegistrySettings settings) {
        this(settings == null ? null : new SchemaRegistryClient(settings), settings == null ? 0 : settings.cacheSize());
    }

    SchemaDecoders(SchemaSource registry, int cacheSize) {
        this.registry = registry;
        this.cacheSize = cacheSize;
    }

    /**
     * @param format      the channel's format
     * @param schemaFile  a local schema ({@code .avsc}; descriptor set or {@code .proto}) for plain Avro or
     *                    Protobuf without the wire header; null to read the header and ask the registry
     * @param messageName Protobuf only, with a schema file: the message's full name, or null for the first
     *                    message of the root file
     * @throws IllegalArgumentException when the schema file cannot be used, or the format needs a registry
     *                                  and none is configured; the message says which
     */
    public synchronized PayloadDecoder decoder(PayloadFormat format, Path schemaFile, String messageName) {
        if (schemaFile != null && format != PayloadFormat.AVRO && format != PayloadFormat.PROTOBUF) {
            throw new IllegalArgumentException("a schema file is for the avro and protobuf formats, not " + format);
        }
        return switch (format) {
            case STRING -> new StringDecoder();
            case JSON -> bytes -> {
                try {
                    return new Decoded.Json(JsonSchemaDecoder.compact(bytes, 0));
                } catch (NotDecodableException e) {
                    return e.toSkip();
                }
            };
            case JSON_SCHEMA -> new JsonSchemaDecoder();
            case AVRO -> schemaFile != null ? AvroDecoder.file(schemaFile) : registryDecoder(format);
            case PROTOBUF -> schemaFile != null ? ProtobufDecoder.file(schemaFile, messageName) : registryDecoder(format);
        };
    }

    private PayloadDecoder registryDecoder(PayloadFormat format) {
        if (registry == null) {
            throw new IllegalArgumentException("the " + format.name().toLowerCase() + " format needs "
                    + SchemaRegistrySettings.PREFIX + ".urls or a schema file");
        }
        return registryDecoders.computeIfAbsent(format, f -> f == PayloadFormat.AVRO
                ? AvroDecoder.registry(registry, cacheSize)
                : ProtobufDecoder.registry(registry, cacheSize));
    }
}
