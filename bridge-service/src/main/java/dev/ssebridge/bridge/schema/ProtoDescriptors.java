package dev.ssebridge.bridge.schema;

import com.google.protobuf.AnyProto;
import com.google.protobuf.DescriptorProtos;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.DescriptorValidationException;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.DurationProto;
import com.google.protobuf.EmptyProto;
import com.google.protobuf.FieldMaskProto;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.StructProto;
import com.google.protobuf.TimestampProto;
import com.google.protobuf.WrappersProto;
import com.squareup.wire.schema.CoreLoader;
import com.squareup.wire.schema.ErrorCollector;
import com.squareup.wire.schema.Linker;
import com.squareup.wire.schema.Loader;
import com.squareup.wire.schema.Location;
import com.squareup.wire.schema.ProtoFile;
import com.squareup.wire.schema.Schema;
import com.squareup.wire.schema.internal.SchemaEncoder;
import com.squareup.wire.schema.internal.parser.ProtoParser;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Protobuf descriptors, which protobuf-java needs to read a message it has no generated class for, from
 * what a registry or a channel's files provide: {@code .proto} source text, or a descriptor set
 * ({@code protoc --descriptor_set_out}).
 *
 * <p>protobuf-java cannot parse {@code .proto} text, so Square's Wire parses and links it and encodes
 * each file as a {@code FileDescriptorProto} (the encoding Wire's own gRPC reflection serves), which
 * protobuf-java then builds and validates. The well-known types ({@code google/protobuf/timestamp.proto}
 * and the like) need no reference in the registry, as with Confluent's serializers; they resolve to
 * protobuf-java's own descriptors, so JSON printing gives them their special forms.
 */
final class ProtoDescriptors {

    private static final Map<String, FileDescriptor> WELL_KNOWN = Stream.of(
                    AnyProto.getDescriptor(), DurationProto.getDescriptor(), EmptyProto.getDescriptor(),
                    FieldMaskProto.getDescriptor(), StructProto.getDescriptor(), TimestampProto.getDescriptor(),
                    WrappersProto.getDescriptor(), DescriptorProtos.getDescriptor())
            .collect(Collectors.toUnmodifiableMap(FileDescriptor::getName, Function.identity()));

    private ProtoDescriptors() {
    }

    /**
     * Parses and links {@code .proto} sources and returns the descriptor of {@code rootPath}.
     *
     * @param sources every file the root needs, by the path its importers use, the root included;
     *                well-known types may be left out
     * @throws IllegalArgumentException naming the problem when the text does not parse or link
     */
    static FileDescriptor fromSources(String rootPath, Map<String, String> sources) {
        Schema schema;
        try {
            Map<String, ProtoFile> parsed = new HashMap<>();
            for (Map.Entry<String, String> source : sources.entrySet()) {
                parsed.put(source.getKey(), ProtoFile.Companion.get(
                        ProtoParser.Companion.parse(Location.get(source.getKey()), source.getValue())));
            }
            schema = new Linker(new SourcesLoader(parsed), new ErrorCollector(), false, false).link(parsed.values());
        } catch (RuntimeException e) {
            // Wire reports syntax errors as IllegalStateException and link errors as SchemaException.
            throw new IllegalArgumentException("the .proto text does not parse or link: " + e.getMessage(), e);
        }
        SchemaEncoder encoder = new SchemaEncoder(schema);
        Map<String, FileDescriptorProto> protos = new HashMap<>();
        for (String path : sources.keySet()) {
            try {
                protos.put(path, FileDescriptorProto.parseFrom(encoder.encode(schema.protoFile(path)).toByteArray()));
            } catch (InvalidProtocolBufferException e) {
                throw new IllegalStateException("Wire encoded an unreadable descriptor for " + path, e);
            }
        }
        return build(rootPath, protos, new HashMap<>(), 0);
    }

    /** Every file of a descriptor set, built; the set's files can come in any order. */
    static List<FileDescriptor> fromDescriptorSet(DescriptorProtos.FileDescriptorSet set) {
        Map<String, FileDescriptorProto> protos = new HashMap<>();
        for (FileDescriptorProto file : set.getFileList()) {
            protos.put(file.getName(), file);
        }
        Map<String, FileDescriptor> built = new HashMap<>();
        List<FileDescriptor> files = new ArrayList<>();
        for (FileDescriptorProto file : set.getFileList()) {
            files.add(build(file.getName(), protos, built, 0));
        }
        return files;
    }

    private static FileDescriptor build(String path, Map<String, FileDescriptorProto> protos, Map<String, FileDescriptor> built, int depth) {
        FileDescriptor known = WELL_KNOWN.get(path);
        if (known == null) {
            known = built.get(path);
        }
        if (known != null) {
            return known;
        }
        FileDescriptorProto proto = protos.get(path);
        if (proto == null) {
            throw new IllegalArgumentException("imported file " + path + " is missing (not a reference of the schema, not in the set)");
        }
        if (depth > 64) {
            throw new IllegalArgumentException("imports nest deeper than 64 at " + path);
        }
        List<FileDescriptor> dependencies = new ArrayList<>();
        for (String dependency : proto.getDependencyList()) {
            dependencies.add(build(dependency, protos, built, depth + 1));
        }
        try {
            FileDescriptor file = FileDescriptor.buildFrom(proto, dependencies.toArray(FileDescriptor[]::new));
            built.put(path, file);
            return file;
        } catch (DescriptorValidationException e) {
            throw new IllegalArgumentException(path + ": " + e.getMessage(), e);
        }
    }

    /**
     * The message a Confluent header's indexes name: the first index among the file's top-level messages,
     * each next one among the nested messages of the previous. Map entries are skipped: protoc makes them
     * nested messages, but the serializers count only the messages written in the {@code .proto} text.
     */
    static Descriptor byIndexes(FileDescriptor file, int[] indexes) {
        List<Descriptor> candidates = file.getMessageTypes();
        Descriptor message = null;
        for (int index : indexes) {
            List<Descriptor> declared = candidates.stream().filter(d -> !d.getOptions().getMapEntry()).toList();
            if (index >= declared.size()) {
                throw new IllegalArgumentException("message index " + index + " of " + Arrays.toString(indexes)
                        + " is past the " + declared.size() + " messages of " + (message == null ? file.getName() : message.getFullName()));
            }
            message = declared.get(index);
            candidates = message.getNestedTypes();
        }
        if (message == null) {
            throw new IllegalArgumentException("no message index");
        }
        return message;
    }

    /** The messages of a file, nested ones included, and of everything it imports. */
    static Set<Descriptor> messagesOf(FileDescriptor root) {
        Set<Descriptor> messages = new LinkedHashSet<>();
        Set<FileDescriptor> seen = new HashSet<>();
        Deque<FileDescriptor> files = new ArrayDeque<>(List.of(root));
        while (!files.isEmpty()) {
            FileDescriptor file = files.pop();
            if (seen.add(file)) {
                Deque<Descriptor> nested = new ArrayDeque<>(file.getMessageTypes());
                while (!nested.isEmpty()) {
                    Descriptor message = nested.pop();
                    messages.add(message);
                    nested.addAll(message.getNestedTypes());
                }
                files.addAll(file.getDependencies());
            }
        }
        return messages;
    }

    /** Resolves imports among the given files, then the well-known types and Wire's own options bundled with Wire. */
    private record SourcesLoader(Map<String, ProtoFile> files) implements Loader {
        @Override
        public ProtoFile load(String path) {
            ProtoFile file = files.get(path);
            if (file != null) {
                return file;
            }
            // Wire's linker always loads its own wire/extensions.proto (Wire-specific options).
            if (path.startsWith("google/protobuf/") || path.startsWith("wire/")) {
                return CoreLoader.INSTANCE.load(path);
            }
            throw new IllegalArgumentException("import " + path + " is neither a reference of the schema nor a well-known type");
        }

        @Override
        public Loader withErrors(ErrorCollector errors) {
            return this;
        }
    }
}
