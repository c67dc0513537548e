package dev.ssebridge.bridge.schema;

/** Where writer schemas come from: the registry client, or a map in unit tests. */
interface SchemaSource {

    /** {@code GET /schemas/ids/{id}}. */
    RegistrySchema byId(int id) throws SchemaNotFoundException, RegistryUnavailableException;

    /** {@code GET /subjects/{subject}/versions/{version}}: how a schema's references are resolved. */
    RegistrySchema byVersion(String subject, int version) throws SchemaNotFoundException, RegistryUnavailableException;
}
