package dev.ssebridge.simulators.encoding;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.util.JsonFormat;
import dev.ssebridge.schemas.EventJson;
import dev.ssebridge.schemas.EventType;
import dev.ssebridge.simulators.Emission;
import dev.ssebridge.simulators.Simulations;
import dev.ssebridge.simulators.SimulationsTest;
import dev.ssebridge.testsupport.JsonTrees;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every payload the simulations emit fits the Avro schemas and {@code mystocks.proto} field for field: nothing of
 * the JSON is dropped on the way into a record (a field added to the JSON schemas and not to the Avro or
 * Protobuf form fails here), and the Protobuf message printed back is the JSON. The bridge side of the same
 * (registry, decoding, SSE) is {@code SimulatorFormatsIT}.
 */
class ValueEncodingTest {

    private static final JsonMapper JSON = EventJson.mapper();
    private static final Map<EventType, List<Object>> PAYLOADS = new EnumMap<>(EventType.class);

    /** Not called: these tests build records and messages, they do not register or frame them. */
    private static final SchemaRegistration NO_REGISTRY = new SchemaRegistration("http://127.0.0.1:9");

    @BeforeAll
    static void simulate() {
        for (Simulations.Scheduled s : Simulations.create(SimulationsTest.defaults(), 4321)) {
            List<Object> payloads = PAYLOADS.computeIfAbsent(s.simulation().type(), t -> new ArrayList<>());
            for (int t = 0; t < 800; t++) {
                for (Emission e : s.simulation().tick()) {
                    payloads.add(e.payload());
                }
            }
        }
        assertThat(PAYLOADS.get(EventType.RISK_ALERT)).hasSizeGreaterThan(5);
    }

    @Test
    void everyPayloadIsAValidAvroRecordWithAllItsFields() {
        AvroValues avro = new AvroValues(JSON, NO_REGISTRY);
        List<String> problems = new ArrayList<>();
        PAYLOADS.forEach((type, payloads) -> {
            Schema schema = avro.schema(type);
            for (Object payload : payloads) {
                Object record = avro.record(type, payload);
                if (!GenericData.get().validate(schema, record)) {
                    problems.add("invalid " + type.eventName() + ": " + record);
                }
                List<String> lost = new ArrayList<>();
                unmapped(schema, JSON.valueToTree(payload), "", lost);
                if (!lost.isEmpty()) {
                    problems.add(type.eventName() + " fields with no Avro field: " + lost);
                }
            }
        });
        assertThat(problems).isEmpty();
    }

    @Test
    void everyPayloadIsItsProtobufMessageAndPrintsBackAsTheSameJson() throws Exception {
        ProtobufValues protobuf = new ProtobufValues(JSON, NO_REGISTRY);
        // As the bridge prints (docs/schema-decoding.md).
        JsonFormat.Printer printer = JsonFormat.printer().preservingProtoFieldNames().alwaysPrintFieldsWithNoPresence();
        List<String> problems = new ArrayList<>();
        for (var entry : PAYLOADS.entrySet()) {
            for (Object payload : entry.getValue()) {
                JsonNode expected = JsonTrees.withoutNulls(JSON.valueToTree(payload));
                JsonNode printed = JSON.readTree(printer.print(protobuf.message(entry.getKey(), payload)));
                if (!expected.equals((a, b) -> a.isNumber() && b.isNumber()
                        ? Double.compare(a.asDouble(), b.asDouble()) : a.equals(b) ? 0 : 1, printed)) {
                    problems.add(expected + " printed as " + printed);
                }
            }
        }
        assertThat(problems).isEmpty();
    }

    /** Adds to {@code lost} the paths of {@code node}'s non-null properties that {@code schema} has no field for. */
    private static void unmapped(Schema schema, JsonNode node, String path, List<String> lost) {
        switch (schema.getType()) {
            case RECORD -> node.properties().forEach(e -> {
                Schema.Field field = schema.getField(e.getKey());
                if (field == null) {
                    if (!e.getValue().isNull()) {
                        lost.add(path + "/" + e.getKey());
                    }
                } else {
                    unmapped(field.schema(), e.getValue(), path + "/" + e.getKey(), lost);
                }
            });
            case UNION -> schema.getTypes().stream()
                    .filter(branch -> branch.getType() == Schema.Type.RECORD && node.isObject())
                    .filter(branch -> branch.getFields().stream().allMatch(f -> f.hasDefaultValue() || node.has(f.name())))
                    .findFirst()
                    .ifPresent(branch -> unmapped(branch, node, path, lost));
            case ARRAY -> node.forEach(item -> unmapped(schema.getElementType(), item, path + "[]", lost));
            default -> { }
        }
    }
}
