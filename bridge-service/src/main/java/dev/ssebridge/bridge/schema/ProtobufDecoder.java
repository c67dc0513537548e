package dev.ssebridge.bridge.schema;

import com.google.protobuf.DescriptorProtos.FileDescriptorSet;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Protobuf records to JSON ({@link ProtobufJson} has the printer options). With a registry, the header's
 * schema id names the {@code .proto} text (its imports are the schema's references, fetched by subject
 * and version) and the message indexes pick the message in it. With local files, every record is a
 * plain message of one configured type.
 */
final class ProtobufDecoder {

    /** {@code import "path";} and {@code import public "path";}, to find a local file's imports. */
    private static final Pattern IMPORT = Pattern.compile("^\\s*import\\s+(?:public\\s+|weak\\s+)?\"([^\"]+)\"\\s*;", Pattern.MULTILINE);

    private ProtobufDecoder() {
    }

    /**
     * A registry schema's file and the printers of the messages records have named in it, made on first
     * use (a printer's type registry walks the whole file) and evicted with the file.
     */
    private record RegistryFile(FileDescriptor file, Map<Descriptor, ProtobufJson> printers) {
        ProtobufJson printer(Descriptor type) {
            return printers.computeIfAbsent(type, ProtobufJson::new);
        }
    }

    /** Confluent wire format: header with message indexes, then the message. */
    static PayloadDecoder registry(SchemaSource registry, int cacheSize) {
        WriterSchemaCache<RegistryFile> files = new WriterSchemaCache<>(cacheSize,
                id -> new RegistryFile(descriptor(registry, id), new ConcurrentHashMap<>()));
        return bytes -> {
            try {
                ConfluentWireFormat.Header header = ConfluentWireFormat.readProtobuf(bytes);
                RegistryFile file = files.get(header.schemaId());
                Descriptor type;
                try {
                    type = ProtoDescriptors.byIndexes(file.file(), header.messageIndexes());
                } catch (IllegalArgumentException e) {
                    return new Decoded.Skip(Decoded.Reason.INVALID_SCHEMA, "schema id " + header.schemaId() + ": " + e.getMessage());
                }
                return new Decoded.Json(file.printer(type).toJson(bytes, header.payloadOffset()));
            } catch (NotDecodableException e) {
                return e.toSkip();
            } catch (RegistryUnavailableException e) {
                return new Decoded.Wait(e);
            }
        };
    }

    /**
     * Plain messages of one type, from a descriptor set ({@code .desc}, {@code .pb}, {@code .binpb}) or a
     * {@code .proto} file whose imports are found beside it.
     *
     * @param messageName full name ({@code package.Message}), or null for the first message of the root
     *                    file (the {@code .proto}, or the last file of the set, where protoc puts the
     *                    files it was asked for after their imports)
     */
    static PayloadDecoder file(Path file, String messageName) {
        List<FileDescriptor> files = load(file);
        Descriptor type = messageName == null ? firstMessage(files.get(files.size() - 1), file) : find(files, messageName, file);
        ProtobufJson json = new ProtobufJson(type);
        return bytes -> {
            try {
                return new Decoded.Json(json.toJson(bytes, 0));
            } catch (NotDecodableException e) {
                return e.toSkip();
            }
        };
    }

    private static FileDescriptor descriptor(SchemaSource registry, int id) throws NotDecodableException, RegistryUnavailableException {
        try {
            RegistrySchema root = registry.byId(id);
            if (!"PROTOBUF".equals(root.type())) {
                throw new NotDecodableException(Decoded.Reason.WRONG_SCHEMA_TYPE, "schema id " + id + " is " + root.type() + ", not PROTOBUF");
            }
            // The root's path only has to differ from its imports' paths.
            String rootPath = "registry-schema-" + Integer.toUnsignedString(id) + ".proto";
            Map<String, String> sources = new HashMap<>();
            sources.put(rootPath, root.schema());
            addReferences(registry, root, sources, 0);
            return ProtoDescriptors.fromSources(rootPath, sources);
        } catch (SchemaNotFoundException e) {
            throw new NotDecodableException(Decoded.Reason.UNKNOWN_SCHEMA, e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new NotDecodableException(Decoded.Reason.INVALID_SCHEMA, "schema id " + id + ": " + e.getMessage(), e);
        }
    }

    private static void addReferences(SchemaSource registry, RegistrySchema schema, Map<String, String> sources, int depth)
            throws SchemaNotFoundException, RegistryUnavailableException {
        if (depth > 32) {
            throw new IllegalArgumentException("schema references nest deeper than 32");
        }
        for (RegistrySchema.Reference reference : schema.references()) {
            if (!sources.containsKey(reference.name())) {
                RegistrySchema imported = registry.byVersion(reference.subject(), reference.version());
                sources.put(reference.name(), imported.schema());
                addReferences(registry, imported, sources, depth + 1);
            }
        }
    }

    private static List<FileDescriptor> load(Path file) {
        String name = file.getFileName().toString();
        try {
            if (name.endsWith(".proto")) {
                Map<String, String> sources = new HashMap<>();
                Deque<String> pending = new ArrayDeque<>(List.of(name));
                while (!pending.isEmpty()) {
                    String path = pending.pop();
                    if (sources.containsKey(path) || path.startsWith("google/protobuf/")) {
                        continue;
                    }
                    String text = Files.readString(file.resolveSibling(path));
                    sources.put(path, text);
                    Matcher imports = IMPORT.matcher(text);
                    while (imports.find()) {
                        pending.push(imports.group(1));
                    }
                }
                return List.of(ProtoDescriptors.fromSources(name, sources));
            }
            List<FileDescriptor> files = ProtoDescriptors.fromDescriptorSet(FileDescriptorSet.parseFrom(Files.readAllBytes(file)));
            if (files.isEmpty()) {
                throw new IllegalArgumentException("the descriptor set is empty");
            }
            return files;
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException("cannot read the Protobuf schema " + file + ": " + e.getMessage(), e);
        }
    }

    private static Descriptor firstMessage(FileDescriptor root, Path file) {
        if (root.getMessageTypes().isEmpty()) {
            throw new IllegalArgumentException(file + " (" + root.getName() + ") declares no message");
        }
        return root.getMessageTypes().get(0);
    }

    private static Descriptor find(List<FileDescriptor> files, String messageName, Path file) {
        for (FileDescriptor candidate : files) {
            for (Descriptor message : ProtoDescriptors.messagesOf(candidate)) {
                if (message.getFullName().equals(messageName)) {
                    return message;
                }
            }
        }
        throw new IllegalArgumentException("no message " + messageName + " in " + file);
    }
}
