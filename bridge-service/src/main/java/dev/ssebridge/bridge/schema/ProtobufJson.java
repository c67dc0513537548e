package dev.ssebridge.bridge.schema;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.util.JsonFormat;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * One Protobuf message type and how its messages print as JSON: protobuf-java-util's {@link JsonFormat},
 * which implements the proto3 JSON mapping, with these printer options (docs/schema-decoding.md):
 * <ul>
 *   <li>field names as written in the {@code .proto} ({@code preservingProtoFieldNames}): the JSON has
 *       the names a developer sees in the schema, the registry and the channel's settings, as with Avro;</li>
 *   <li>fields without presence print even when they hold their default ({@code alwaysPrintFieldsWithNoPresence}):
 *       a counter at 0 arrives as {@code 0}, not as a missing property; unset {@code optional}, message
 *       and oneof fields are still left out;</li>
 *   <li>no whitespace; enums by name; 64-bit integers as strings and bytes as base64, as the mapping says;
 *       well-known types in their JSON forms (Timestamp as RFC 3339, Duration as "1.5s", wrappers as the
 *       plain value, Struct as an object; Any resolved among the schema's own messages).</li>
 * </ul>
 * Unknown fields (written by a newer schema) are dropped: the mapping has no place for them.
 */
final class ProtobufJson {

    private final Descriptor type;
    private final JsonFormat.Printer printer;

    ProtobufJson(Descriptor type) {
        this.type = type;
        this.printer = JsonFormat.printer()
                .usingTypeRegistry(JsonFormat.TypeRegistry.newBuilder().add(ProtoDescriptors.messagesOf(type.getFile())).build())
                .preservingProtoFieldNames()
                .alwaysPrintFieldsWithNoPresence()
                .omittingInsignificantWhitespace();
    }

    Descriptor type() {
        return type;
    }

    byte[] toJson(byte[] bytes, int offset) throws NotDecodableException {
        try {
            DynamicMessage message = DynamicMessage.parseFrom(type, CodedInputStream.newInstance(bytes, offset, bytes.length - offset));
            return printer.print(message).getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            // InvalidProtocolBufferException, also what print() throws for an Any of a type the schema lacks.
            throw new NotDecodableException(Decoded.Reason.UNDECODABLE, "not a " + type.getFullName() + ": " + e.getMessage(), e);
        }
    }
}
