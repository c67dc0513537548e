package dev.ssebridge.bridge.schema;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.util.Base64;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Conversions;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.StreamWriteFeature;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.core.json.JsonWriteFeature;

/**
 * Writes one binary Avro datum as JSON, reading it with Avro's own {@link BinaryDecoder} while walking
 * the writer schema, so no intermediate {@code GenericRecord} is built. The mapping (docs/schema-decoding.md):
 * <ul>
 *   <li>record → object, fields in schema order; map → object; array → array; enum → its symbol;</li>
 *   <li>union → the value of the branch written, without Avro JSON's {@code {"type": value}} wrapper;</li>
 *   <li>int, long, float, double → numbers (NaN and infinities as the strings "NaN", "Infinity",
 *       "-Infinity", as proto3 JSON does); boolean; null; string → string;</li>
 *   <li>bytes, fixed → standard base64 with padding;</li>
 *   <li>logical types: decimal and big-decimal → exact JSON number in plain notation (no exponent);
 *       uuid → string; date → {@code 2024-03-01}; time-millis → {@code 13:45:30.123}, time-micros →
 *       {@code 13:45:30.123456}; timestamp-millis/-micros/-nanos → UTC ISO-8601 with 3/6/9 fraction
 *       digits and {@code Z}; local-timestamp-* → the same without {@code Z}; duration →
 *       {@code {"months":m,"days":d,"milliseconds":ms}}. Any other logical type → its underlying type.</li>
 * </ul>
 */
final class AvroJson {

    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
            .enable(JsonWriteFeature.WRITE_NAN_AS_STRINGS)
            .build();
    private static final DateTimeFormatter TIME_MILLIS = time(3);
    private static final DateTimeFormatter TIME_MICROS = time(6);
    private static final DateTimeFormatter MILLIS = dateTime(3);
    private static final DateTimeFormatter MICROS = dateTime(6);
    private static final DateTimeFormatter NANOS = dateTime(9);
    /** A block count this far above the bytes left is garbled; only zero-byte items could need it. */
    private static final long MAX_EMPTY_ITEMS = 1 << 16;

    private AvroJson() {
    }

    /** The datum in {@code bytes[offset..]}, which it must fill exactly. */
    static byte[] toJson(Schema writer, byte[] bytes, int offset) throws NotDecodableException {
        BinaryDecoder in = DecoderFactory.get().binaryDecoder(bytes, offset, bytes.length - offset, null);
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, (bytes.length - offset) * 2));
        try (JsonGenerator json = JSON.createGenerator(ObjectWriteContext.empty(), out)) {
            new Walk(in, json).value(writer);
            if (!in.isEnd()) {
                throw new NotDecodableException(Decoded.Reason.UNDECODABLE, "bytes left after the Avro datum: wrong writer schema?");
            }
        } catch (IOException | AvroRuntimeException | JacksonException | ArithmeticException
                 | IndexOutOfBoundsException | IllegalArgumentException | DateTimeException e) {
            // EOF, a negative length, an index out of range, a time past the end of the day: all mean the
            // bytes are not this schema's.
            throw new NotDecodableException(Decoded.Reason.UNDECODABLE, "not Avro of the writer schema: " + e, e);
        }
        return out.toByteArray();
    }

    /** One datum's walk: the decoder and the generator it writes to. */
    private record Walk(BinaryDecoder in, JsonGenerator json) {

        void value(Schema schema) throws IOException, NotDecodableException {
            LogicalType logical = schema.getLogicalType();
            if (logical != null && logicalValue(schema, logical)) {
                return;
            }
            switch (schema.getType()) {
                case RECORD -> {
                    json.writeStartObject();
                    for (Schema.Field field : schema.getFields()) {
                        json.writeName(field.name());
                        value(field.schema());
                    }
                    json.writeEndObject();
                }
                case ENUM -> json.writeString(schema.getEnumSymbols().get(in.readEnum()));
                case ARRAY -> {
                    json.writeStartArray();
                    for (long n = in.readArrayStart(); n != 0; n = in.arrayNext()) {
                        checkCount(n, schema.getElementType());
                        for (long i = 0; i < n; i++) {
                            value(schema.getElementType());
                        }
                    }
                    json.writeEndArray();
                }
                case MAP -> {
                    json.writeStartObject();
                    for (long n = in.readMapStart(); n != 0; n = in.mapNext()) {
                        checkCount(n, schema.getValueType());
                        for (long i = 0; i < n; i++) {
                            json.writeName(new String(bytes(), StandardCharsets.UTF_8));
                            value(schema.getValueType());
                        }
                    }
                    json.writeEndObject();
                }
                case UNION -> value(schema.getTypes().get(in.readIndex()));
                case FIXED -> json.writeString(Base64.getEncoder().encodeToString(fixed(schema)));
                // Decoded (malformed sequences become U+FFFD) so that the JSON out is always valid UTF-8.
                case STRING -> json.writeString(new String(bytes(), StandardCharsets.UTF_8));
                case BYTES -> json.writeString(Base64.getEncoder().encodeToString(bytes()));
                case INT -> json.writeNumber(in.readInt());
                case LONG -> json.writeNumber(in.readLong());
                case FLOAT -> json.writeNumber(in.readFloat());
                case DOUBLE -> json.writeNumber(in.readDouble());
                case BOOLEAN -> json.writeBoolean(in.readBoolean());
                case NULL -> {
                    in.readNull();
                    json.writeNull();
                }
            }
        }

        /** Writes a value whose logical type has its own JSON form; false when the underlying type applies. */
        private boolean logicalValue(Schema schema, LogicalType logical) throws IOException, NotDecodableException {
            Schema.Type type = schema.getType();
            switch (logical.getName()) {
                case "decimal" -> {
                    int scale = ((LogicalTypes.Decimal) logical).getScale();
                    byte[] unscaled = type == Schema.Type.FIXED ? fixed(schema) : bytes();
                    if (unscaled.length == 0) {
                        throw new NotDecodableException(Decoded.Reason.UNDECODABLE, "empty decimal");
                    }
                    json.writeNumber(new BigDecimal(new BigInteger(unscaled), scale));
                }
                case "big-decimal" -> json.writeNumber(new Conversions.BigDecimalConversion()
                        .fromBytes(ByteBuffer.wrap(bytes()), schema, logical));
                case "uuid" -> {
                    if (type == Schema.Type.FIXED) {
                        json.writeString(new Conversions.UUIDConversion().fromFixed(
                                new GenericData.Fixed(schema, fixed(schema)), schema, logical).toString());
                    } else {
                        return false;
                    }
                }
                case "date" -> json.writeString(LocalDate.ofEpochDay(in.readInt()).toString());
                case "time-millis" -> json.writeString(TIME_MILLIS.format(LocalTime.ofNanoOfDay(in.readInt() * 1_000_000L)));
                case "time-micros" -> json.writeString(TIME_MICROS.format(LocalTime.ofNanoOfDay(in.readLong() * 1_000L)));
                case "timestamp-millis" -> json.writeString(instant(MILLIS, Instant.ofEpochMilli(in.readLong())));
                case "timestamp-micros" -> json.writeString(instant(MICROS, micros(in.readLong())));
                case "timestamp-nanos" -> json.writeString(instant(NANOS, nanos(in.readLong())));
                case "local-timestamp-millis" -> json.writeString(local(MILLIS, Instant.ofEpochMilli(in.readLong())));
                case "local-timestamp-micros" -> json.writeString(local(MICROS, micros(in.readLong())));
                case "local-timestamp-nanos" -> json.writeString(local(NANOS, nanos(in.readLong())));
                case "duration" -> {
                    // Three little-endian unsigned 32-bit ints, in the order the Avro spec gives.
                    ByteBuffer fixed = ByteBuffer.wrap(fixed(schema)).order(ByteOrder.LITTLE_ENDIAN);
                    json.writeStartObject();
                    json.writeNumberProperty("months", Integer.toUnsignedLong(fixed.getInt()));
                    json.writeNumberProperty("days", Integer.toUnsignedLong(fixed.getInt()));
                    json.writeNumberProperty("milliseconds", Integer.toUnsignedLong(fixed.getInt()));
                    json.writeEndObject();
                }
                default -> {
                    return false;
                }
            }
            return true;
        }

        /** A length-prefixed string or bytes value, its length checked against what is left. */
        private byte[] bytes() throws IOException, NotDecodableException {
            long length = in.readLong();
            if (length < 0 || length > remaining()) {
                throw new NotDecodableException(Decoded.Reason.UNDECODABLE,
                        "a length of " + length + " with " + remaining() + " bytes left");
            }
            byte[] value = new byte[(int) length];
            in.readFixed(value, 0, value.length);
            return value;
        }

        private byte[] fixed(Schema schema) throws IOException {
            byte[] value = new byte[schema.getFixedSize()];
            in.readFixed(value, 0, value.length);
            return value;
        }

        /**
         * A garbled block count must not make the walk write millions of items: each item of a type that
         * takes bytes needs at least one, so the count cannot exceed what is left.
         */
        private void checkCount(long count, Schema item) throws IOException, NotDecodableException {
            long limit = item.getType() == Schema.Type.NULL ? MAX_EMPTY_ITEMS : Math.max(remaining(), MAX_EMPTY_ITEMS);
            if (count < 0 || count > limit) {
                throw new NotDecodableException(Decoded.Reason.UNDECODABLE, "a block of " + count + " items with " + remaining() + " bytes left");
            }
        }

        /** Bytes not yet read: the decoder reads from the array it was given, so this is exact. */
        private long remaining() throws IOException {
            return in.inputStream().available();
        }
    }

    private static Instant micros(long micros) {
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L);
    }

    private static Instant nanos(long nanos) {
        return Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
    }

    private static String instant(DateTimeFormatter time, Instant instant) {
        return time.format(instant.atOffset(ZoneOffset.UTC).toLocalDateTime()) + "Z";
    }

    private static String local(DateTimeFormatter time, Instant instant) {
        return time.format(instant.atOffset(ZoneOffset.UTC).toLocalDateTime());
    }

    /** ISO time with a fixed number of fraction digits, so every record of a field looks alike. */
    private static DateTimeFormatter time(int digits) {
        return new DateTimeFormatterBuilder()
                .appendPattern("HH:mm:ss")
                .appendFraction(ChronoField.NANO_OF_SECOND, digits, digits, true)
                .toFormatter();
    }

    private static DateTimeFormatter dateTime(int digits) {
        return new DateTimeFormatterBuilder()
                .append(DateTimeFormatter.ISO_LOCAL_DATE).appendLiteral('T').append(time(digits))
                .toFormatter();
    }
}
