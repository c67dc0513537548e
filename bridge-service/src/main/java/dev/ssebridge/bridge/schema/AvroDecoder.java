package dev.ssebridge.bridge.schema;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;

/**
 * Avro records to JSON ({@link AvroJson} has the mapping). Each record is read with its own writer
 * schema: the one its header names in the registry, or the channel's {@code .avsc} for plain Avro
 * without a header. No reader schema is applied, so records written with different versions of a schema
 * on one topic each come out with the fields they were written with.
 */
final class AvroDecoder {

    private AvroDecoder() {
    }

    /** Confluent wire format: header, then the datum in the writer schema the id names. */
    static PayloadDecoder registry(SchemaSource registry, int cacheSize) {
        WriterSchemaCache<Schema> schemas = new WriterSchemaCache<>(cacheSize, id -> parse(registry, id));
        return bytes -> {
            try {
                ConfluentWireFormat.Header header = ConfluentWireFormat.read(bytes);
                return new Decoded.Json(AvroJson.toJson(schemas.get(header.schemaId()), bytes, header.payloadOffset()));
            } catch (NotDecodableException e) {
                return e.toSkip();
            } catch (RegistryUnavailableException e) {
                return new Decoded.Wait(e);
            }
        };
    }

    /** Plain binary Avro (no header, no single-object marker), all in the schema of {@code avsc}. */
    static PayloadDecoder file(Path avsc) {
        Schema schema;
        try {
            schema = new Schema.Parser().parse(Files.readString(avsc));
        } catch (IOException | SchemaParseException e) {
            throw new IllegalArgumentException("cannot read the Avro schema " + avsc + ": " + e.getMessage(), e);
        }
        return bytes -> {
            try {
                return new Decoded.Json(AvroJson.toJson(schema, bytes, 0));
            } catch (NotDecodableException e) {
                return e.toSkip();
            }
        };
    }

    /**
     * The writer schema with an id. Referenced schemas (named types defined in other subjects) are parsed
     * first with the same parser, so the root's text can use their names.
     */
    private static Schema parse(SchemaSource registry, int id) throws NotDecodableException, RegistryUnavailableException {
        try {
            RegistrySchema root = registry.byId(id);
            if (!"AVRO".equals(root.type())) {
                throw new NotDecodableException(Decoded.Reason.WRONG_SCHEMA_TYPE,
                        "schema id " + id + " is " + root.type() + ", not AVRO");
            }
            Schema.Parser parser = new Schema.Parser();
            for (RegistrySchema referenced : referencesInOrder(registry, root, new ArrayList<>(), 0)) {
                parser.parse(referenced.schema());
            }
            return parser.parse(root.schema());
        } catch (SchemaNotFoundException e) {
            throw new NotDecodableException(Decoded.Reason.UNKNOWN_SCHEMA, e.getMessage());
        } catch (SchemaParseException e) {
            throw new NotDecodableException(Decoded.Reason.INVALID_SCHEMA, "schema id " + id + ": " + e.getMessage(), e);
        }
    }

    /** The referenced schemas, depth first, each before the schemas that use it. */
    private static List<RegistrySchema> referencesInOrder(SchemaSource registry, RegistrySchema schema, List<RegistrySchema> out, int depth)
            throws SchemaNotFoundException, RegistryUnavailableException, NotDecodableException {
        if (depth > 32) {
            throw new NotDecodableException(Decoded.Reason.INVALID_SCHEMA, "schema references nest deeper than 32");
        }
        for (RegistrySchema.Reference reference : schema.references()) {
            RegistrySchema referenced = registry.byVersion(reference.subject(), reference.version());
            referencesInOrder(registry, referenced, out, depth + 1);
            if (!out.contains(referenced)) {
                out.add(referenced);
            }
        }
        return out;
    }
}
