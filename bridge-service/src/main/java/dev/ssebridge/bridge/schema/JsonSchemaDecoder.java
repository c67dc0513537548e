package dev.ssebridge.bridge.schema;

import java.io.ByteArrayOutputStream;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.json.JsonFactory;

/**
 * JSON Schema records in the Confluent wire format: the 5-byte header is stripped and the payload is the
 * JSON. The schema is not fetched (it would only validate what the producer's serializer validated
 * already), so these channels never wait for the registry. The payload is copied token by token into
 * compact JSON, which both checks that it is one JSON document and removes its line breaks.
 */
final class JsonSchemaDecoder implements PayloadDecoder {

    private static final JsonFactory JSON = new JsonFactory();

    @Override
    public Decoded decode(byte[] bytes) {
        try {
            ConfluentWireFormat.Header header = ConfluentWireFormat.read(bytes);
            return new Decoded.Json(compact(bytes, header.payloadOffset()));
        } catch (NotDecodableException e) {
            return e.toSkip();
        }
    }

    /** One JSON document in {@code bytes[offset..]}, without insignificant whitespace. */
    static byte[] compact(byte[] bytes, int offset) throws NotDecodableException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length);
        try (JsonParser parser = JSON.createParser(ObjectReadContext.empty(), bytes, offset, bytes.length - offset);
             JsonGenerator generator = JSON.createGenerator(ObjectWriteContext.empty(), out)) {
            if (parser.nextToken() == null) {
                throw new NotDecodableException(Decoded.Reason.INVALID_JSON, "empty payload");
            }
            generator.copyCurrentStructure(parser);
            if (parser.nextToken() != null) {
                throw new NotDecodableException(Decoded.Reason.INVALID_JSON, "more than one JSON document");
            }
        } catch (JacksonException e) {
            throw new NotDecodableException(Decoded.Reason.INVALID_JSON, e.getOriginalMessage(), e);
        }
        return out.toByteArray();
    }
}
