package dev.ssebridge.simulators.encoding;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import dev.ssebridge.schemas.ConfluentFraming;
import dev.ssebridge.schemas.EventType;
import dev.ssebridge.simulators.protobuf.BacktestProgress;
import dev.ssebridge.simulators.protobuf.DashboardUpdate;
import dev.ssebridge.simulators.protobuf.RiskAlert;
import dev.ssebridge.simulators.protobuf.TrainingProgress;
import tools.jackson.databind.json.JsonMapper;

/**
 * Payloads as the messages of {@code mystocks.proto} (compiled by protoc in this build), registered in the
 * registry as that file, in the wire format with the message's index in the file. A payload's JSON is read
 * into its message with protobuf's own JSON mapping, which knows the field names of the {@code .proto}.
 */
final class ProtobufValues implements ValueEncoding {

    private static final String PROTO = AvroValues.resource("mystocks.proto");
    private static final JsonFormat.Parser PARSER = JsonFormat.parser();

    private final JsonMapper json;
    private final SchemaRegistration registry;

    ProtobufValues(JsonMapper json, SchemaRegistration registry) {
        this.json = json;
        this.registry = registry;
    }

    @Override
    public void prepare(String topic, EventType type) {
        registry.idFor(topic, "PROTOBUF", PROTO);
    }

    @Override
    public byte[] encode(String topic, EventType type, Object payload) {
        // The message's place in mystocks.proto: its index among the file's top-level messages.
        int index = switch (type) {
            case TRAINING_PROGRESS -> 0;
            case BACKTEST_PROGRESS -> 1;
            case RISK_ALERT -> 2;
            case DASHBOARD_UPDATE -> 3;
        };
        return ConfluentFraming.frameProtobuf(registry.idFor(topic, "PROTOBUF", PROTO), new int[] {index},
                message(type, payload).toByteArray());
    }

    /** {@code payload} as its message; a field the {@code .proto} does not have is an error, not dropped. */
    Message message(EventType type, Object payload) {
        Message.Builder builder = switch (type) {
            case TRAINING_PROGRESS -> TrainingProgress.newBuilder();
            case BACKTEST_PROGRESS -> BacktestProgress.newBuilder();
            case RISK_ALERT -> RiskAlert.newBuilder();
            case DASHBOARD_UPDATE -> DashboardUpdate.newBuilder();
        };
        try {
            PARSER.merge(json.writeValueAsString(payload), builder);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException("a " + type.eventName() + " that mystocks.proto does not take: " + e, e);
        }
        return builder.build();
    }
}
