package dev.ssebridge.benchmarks.jmh;

import com.google.protobuf.CodedOutputStream;
import dev.ssebridge.bridge.config.PayloadFormat;
import dev.ssebridge.bridge.schema.Decoded;
import dev.ssebridge.bridge.schema.PayloadDecoder;
import dev.ssebridge.bridge.schema.SchemaDecoders;
import dev.ssebridge.schemas.ConfluentFraming;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The once-per-record cost of turning a registry record into JSON (schema already cached), for the same
 * training_progress event as FrameBenchmark: Avro, Protobuf, and for scale the {@code json} decoder that
 * only re-compacts a JSON value. Run: {@code benchmarks/jmh.sh SchemaDecode}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SchemaDecodeBenchmark {

    private static final String AVRO = """
            {"type":"record","name":"TrainingProgress","fields":[
              {"name":"task_id","type":"string"},{"name":"status","type":"string"},
              {"name":"epoch","type":"int"},{"name":"total_epochs","type":"int"},{"name":"progress","type":"double"},
              {"name":"metrics","type":{"type":"record","name":"Metrics","fields":[
                {"name":"loss","type":"double"},{"name":"val_loss","type":"double"},
                {"name":"accuracy","type":"double"},{"name":"val_accuracy","type":"double"}]}},
              {"name":"message","type":"string"},
              {"name":"timestamp","type":{"type":"long","logicalType":"timestamp-millis"}}]}""";

    private static final String PROTO = """
            syntax = "proto3";
            message TrainingProgress {
              message Metrics { double loss = 1; double val_loss = 2; double accuracy = 3; double val_accuracy = 4; }
              string task_id = 1; string status = 2; int32 epoch = 3; int32 total_epochs = 4; double progress = 5;
              Metrics metrics = 6; string message = 7; int64 timestamp = 8;
            }
            """;

    private static final byte[] JSON_VALUE = ("{\"task_id\":\"train-7f3a2c\",\"status\":\"running\",\"epoch\":17,\"total_epochs\":60,"
            + "\"progress\":28.33,\"metrics\":{\"loss\":0.4132,\"val_loss\":0.4588,\"accuracy\":0.8121,"
            + "\"val_accuracy\":0.7954},\"message\":\"Epoch 17/60\",\"timestamp\":\"2026-11-24T06:30:00.123Z\"}")
            .getBytes(StandardCharsets.UTF_8);

    private PayloadDecoder avro;
    private PayloadDecoder protobuf;
    private PayloadDecoder json;
    private byte[] avroRecord;
    private byte[] protobufRecord;

    @Setup
    public void setUp() throws IOException {
        try (RegistryStub registry = new RegistryStub().add(1, "AVRO", AVRO).add(2, "PROTOBUF", PROTO)) {
            SchemaDecoders decoders = new SchemaDecoders(registry.settings(100));
            avro = decoders.decoder(PayloadFormat.AVRO, null, null);
            protobuf = decoders.decoder(PayloadFormat.PROTOBUF, null, null);
            json = decoders.decoder(PayloadFormat.JSON, null, null);
            avroRecord = ConfluentFraming.frame(1, avroValue());
            protobufRecord = ConfluentFraming.frameProtobuf(2, new int[] {0}, protobufValue());
            // The first decode fetches each schema from the registry, the decoders keep it: none is fetched once measuring.
            if (!(avro.decode(avroRecord) instanceof Decoded.Json) || !(protobuf.decode(protobufRecord) instanceof Decoded.Json)) {
                throw new IllegalStateException("the benchmark records do not decode");
            }
        }
    }

    private static byte[] avroValue() throws IOException {
        Schema schema = new Schema.Parser().parse(AVRO);
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

    /** The message of PROTO written field by field, by number: the bytes protobuf-java writes for it. */
    private static byte[] protobufValue() throws IOException {
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

    @Benchmark
    public Decoded avro() {
        return avro.decode(avroRecord);
    }

    @Benchmark
    public Decoded protobuf() {
        return protobuf.decode(protobufRecord);
    }

    @Benchmark
    public Decoded json() {
        return json.decode(JSON_VALUE);
    }
}
