package dev.ssebridge.benchmarks;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;

/** The value of a benchmark record in one format: the same fields in the same order in each. */
interface BenchValues {

    byte[] value(long seq, long sentMicros, String pad);

    /** {@code json} or {@code avro} (plain binary Avro of {@code bench_event.avsc}). */
    static BenchValues of(String format) {
        return switch (format) {
            case "json" -> (seq, sent, pad) -> ("{\"seq\":" + seq + ",\"sent_us\":" + sent
                    + ",\"status\":\"running\",\"progress\":" + (seq % 100) + ",\"message\":\"Training epoch "
                    + (seq % 100) + "/100\",\"pad\":\"" + pad + "\"}").getBytes(StandardCharsets.UTF_8);
            case "avro" -> new Avro();
            default -> throw new IllegalArgumentException("value-format " + format + ": json or avro");
        };
    }

    /** One producer thread writes, so one reusable encoder. */
    final class Avro implements BenchValues {

        private final Schema schema;
        private final GenericDatumWriter<GenericRecord> writer;
        private final GenericData.EnumSymbol running;
        private final ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        private BinaryEncoder encoder;

        Avro() {
            try (InputStream in = BenchValues.class.getClassLoader().getResourceAsStream("bench_event.avsc")) {
                schema = new Schema.Parser().parse(in);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            writer = new GenericDatumWriter<>(schema);
            running = new GenericData.EnumSymbol(schema.getField("status").schema(), "running");
        }

        @Override
        public byte[] value(long seq, long sentMicros, String pad) {
            GenericRecord record = new GenericData.Record(schema);
            record.put("seq", seq);
            record.put("sent_us", sentMicros);
            record.put("status", running);
            record.put("progress", (int) (seq % 100));
            record.put("message", "Training epoch " + (seq % 100) + "/100");
            record.put("pad", pad);
            out.reset();
            encoder = EncoderFactory.get().binaryEncoder(out, encoder);
            try {
                writer.write(record, encoder);
                encoder.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return out.toByteArray();
        }
    }
}
