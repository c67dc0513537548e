package dev.ssebridge.benchmarks.jmh;

import com.google.protobuf.CodedOutputStream;
import dev.ssebridge.bridge.channel.Channel;
import dev.ssebridge.bridge.channel.ChannelTag;
import dev.ssebridge.bridge.channel.Channels;
import dev.ssebridge.bridge.cursor.CursorCodec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;

/**
 * What every micro-benchmark measures with, set up once so that their figures describe the same work: the
 * training channel and its cursor codec, and one training_progress record as the simulators write it, as JSON
 * and as the same fields in Avro and in Protobuf. Benchmarks must not write into the arrays.
 */
final class TrainingSample {

    static final Channel CHANNEL = new Channel("training", "mystocks.training.progress", "training_progress",
            ChannelTag.of("training"), null, null, null);
    static final CursorCodec CODEC = new CursorCodec(new Channels(List.of(CHANNEL), List.of()));

    static final byte[] KEY = "train-7f3a2c".getBytes(StandardCharsets.UTF_8);
    /** The value as JSON, about 300 bytes. */
    static final byte[] JSON = ("{\"task_id\":\"train-7f3a2c\",\"status\":\"running\",\"epoch\":17,\"total_epochs\":60,"
            + "\"progress\":28.33,\"metrics\":{\"loss\":0.4132,\"val_loss\":0.4588,\"accuracy\":0.8121,"
            + "\"val_accuracy\":0.7954},\"message\":\"Epoch 17/60\",\"timestamp\":\"2026-11-24T06:30:00.123Z\"}")
            .getBytes(StandardCharsets.UTF_8);

    static final String AVRO_SCHEMA = """
            {"type":"record","name":"TrainingProgress","fields":[
              {"name":"task_id","type":"string"},{"name":"status","type":"string"},
              {"name":"epoch","type":"int"},{"name":"total_epochs","type":"int"},{"name":"progress","type":"double"},
              {"name":"metrics","type":{"type":"record","name":"Metrics","fields":[
                {"name":"loss","type":"double"},{"name":"val_loss","type":"double"},
                {"name":"accuracy","type":"double"},{"name":"val_accuracy","type":"double"}]}},
              {"name":"message","type":"string"},
              {"name":"timestamp","type":{"type":"long","logicalType":"timestamp-millis"}}]}""";

    static final String PROTO_SCHEMA = """
            syntax = "proto3";
            message TrainingProgress {
              message Metrics { double loss = 1; double val_loss = 2; double accuracy = 3; double val_accuracy = 4; }
              string task_id = 1; string status = 2; int32 epoch = 3; int32 total_epochs = 4; double progress = 5;
              Metrics metrics = 6; string message = 7; int64 timestamp = 8;
            }
            """;

    private TrainingSample() {
    }

    /** The value as plain binary Avro of {@link #AVRO_SCHEMA}, without a registry's wire header. */
    static byte[] avro() throws IOException {
        Schema schema = new Schema.Parser().parse(AVRO_SCHEMA);
        GenericRecord metrics = new GenericData.Record(schema.getField("metrics").schema());
        metrics.put("loss", 0.4132);
        metrics.put("val_loss", 0.4588);
        metrics.put("accuracy", 0.8121);
        metrics.put("val_accuracy", 0.7954);
        GenericRecord record = new GenericData.Record(schema);
        record.put("task_id", "train-7f3a2c");
        record.put("status", "running");
        record.put("epoch", 17);
        record.put("total_epochs", 60);
        record.put("progress", 28.33);
        record.put("metrics", metrics);
        record.put("message", "Epoch 17/60");
        record.put("timestamp", 1_763_965_800_123L);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(schema).write(record, encoder);
        encoder.flush();
        return out.toByteArray();
    }

    /**
     * The value as the message of {@link #PROTO_SCHEMA}, without a registry's wire header: written field by field,
     * by number, which gives the bytes protobuf-java writes for it (the bridge's .proto parser is not public API).
     */
    static byte[] protobuf() throws IOException {
        ByteArrayOutputStream metrics = new ByteArrayOutputStream();
        CodedOutputStream m = CodedOutputStream.newInstance(metrics);
        m.writeDouble(1, 0.4132);
        m.writeDouble(2, 0.4588);
        m.writeDouble(3, 0.8121);
        m.writeDouble(4, 0.7954);
        m.flush();
        ByteArrayOutputStream message = new ByteArrayOutputStream();
        CodedOutputStream out = CodedOutputStream.newInstance(message);
        out.writeString(1, "train-7f3a2c");
        out.writeString(2, "running");
        out.writeInt32(3, 17);
        out.writeInt32(4, 60);
        out.writeDouble(5, 28.33);
        out.writeByteArray(6, metrics.toByteArray());
        out.writeString(7, "Epoch 17/60");
        out.writeInt64(8, 1_763_965_800_123L);
        out.flush();
        return message.toByteArray();
    }
}
