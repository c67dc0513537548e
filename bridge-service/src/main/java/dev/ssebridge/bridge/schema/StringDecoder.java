package dev.ssebridge.bridge.schema;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.json.JsonFactory;

/** UTF-8 text as a JSON string: the default for keys. Malformed UTF-8 becomes U+FFFD rather than a skip. */
final class StringDecoder implements PayloadDecoder {

    private static final JsonFactory JSON = new JsonFactory();

    @Override
    public Decoded decode(byte[] bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length + 2);
        try (JsonGenerator generator = JSON.createGenerator(ObjectWriteContext.empty(), out)) {
            generator.writeString(new String(bytes, StandardCharsets.UTF_8));
        }
        return new Decoded.Json(out.toByteArray());
    }
}
