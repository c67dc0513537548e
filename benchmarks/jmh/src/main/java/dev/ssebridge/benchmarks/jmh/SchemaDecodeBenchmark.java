package dev.ssebridge.benchmarks.jmh;

import dev.ssebridge.bridge.config.PayloadFormat;
import dev.ssebridge.bridge.schema.Decoded;
import dev.ssebridge.bridge.schema.PayloadDecoder;
import dev.ssebridge.bridge.schema.SchemaDecoders;
import dev.ssebridge.schemas.ConfluentFraming;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
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
 * training_progress event as FrameBenchmark ({@link TrainingSample}): Avro, Protobuf, and for scale the
 * {@code json} decoder that only re-compacts a JSON value. Run: {@code benchmarks/jmh.sh SchemaDecode}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SchemaDecodeBenchmark {

    private PayloadDecoder avro;
    private PayloadDecoder protobuf;
    private PayloadDecoder json;
    private byte[] avroRecord;
    private byte[] protobufRecord;

    @Setup
    public void setUp() throws IOException {
        try (RegistryStub registry = new RegistryStub().add(1, "AVRO", TrainingSample.AVRO_SCHEMA)
                .add(2, "PROTOBUF", TrainingSample.PROTO_SCHEMA)) {
            SchemaDecoders decoders = new SchemaDecoders(registry.settings(100));
            avro = decoders.decoder(PayloadFormat.AVRO, null, null);
            protobuf = decoders.decoder(PayloadFormat.PROTOBUF, null, null);
            json = decoders.decoder(PayloadFormat.JSON, null, null);
            avroRecord = ConfluentFraming.frame(1, TrainingSample.avro());
            protobufRecord = ConfluentFraming.frameProtobuf(2, new int[] {0}, TrainingSample.protobuf());
            // The first decode fetches each schema; the decoders keep it, so none is fetched while measuring.
            if (!(avro.decode(avroRecord) instanceof Decoded.Json) || !(protobuf.decode(protobufRecord) instanceof Decoded.Json)) {
                throw new IllegalStateException("the benchmark records do not decode");
            }
        }
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
        return json.decode(TrainingSample.JSON);
    }
}
