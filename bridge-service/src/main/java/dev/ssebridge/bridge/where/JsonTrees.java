package dev.ssebridge.bridge.where;

import dev.cel.common.values.NullValue;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.json.JsonFactory;

/**
 * Reads one JSON document into the immutable values CEL evaluates: objects as unmodifiable {@code Map}s,
 * arrays as unmodifiable {@code List}s, strings, {@code Boolean}s, integers as {@code Long}, other numbers
 * (and integers beyond the range of a long) as {@code Double}, and JSON null as CEL's {@link NullValue}.
 * No value is Java {@code null}, so the trees can be shared and compared freely.
 */
final class JsonTrees {

    private static final JsonFactory JSON = new JsonFactory();

    private JsonTrees() {
    }

    /**
     * @throws tools.jackson.core.JacksonException when the bytes are not one JSON document (Jackson's own
     *         limits apply too, such as its nesting depth)
     */
    static Object parse(byte[] json, int offset, int length) {
        try (JsonParser parser = JSON.createParser(ObjectReadContext.empty(), json, offset, length)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                throw new IllegalArgumentException("empty JSON document");
            }
            Object tree = read(parser, first);
            if (parser.nextToken() != null) {
                throw new IllegalArgumentException("more than one JSON document");
            }
            return tree;
        }
    }

    /** Reads the value that starts at {@code token}; the parser is left on its last token. */
    static Object read(JsonParser parser, JsonToken token) {
        switch (token) {
            case START_OBJECT: {
                Map<String, Object> object = new HashMap<>();
                for (JsonToken t = parser.nextToken(); t == JsonToken.PROPERTY_NAME; t = parser.nextToken()) {
                    String name = parser.currentName();
                    object.put(name, read(parser, parser.nextToken())); // a repeated name: the last wins
                }
                return Collections.unmodifiableMap(object);
            }
            case START_ARRAY: {
                List<Object> array = new ArrayList<>();
                for (JsonToken t = parser.nextToken(); t != JsonToken.END_ARRAY; t = parser.nextToken()) {
                    array.add(read(parser, t));
                }
                return Collections.unmodifiableList(array);
            }
            case VALUE_STRING:
                return parser.getString();
            case VALUE_NUMBER_INT:
                return parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                        ? parser.getDoubleValue() : (Object) parser.getLongValue();
            case VALUE_NUMBER_FLOAT:
                return parser.getDoubleValue();
            case VALUE_TRUE:
                return Boolean.TRUE;
            case VALUE_FALSE:
                return Boolean.FALSE;
            case VALUE_NULL:
                return NullValue.NULL_VALUE;
            default:
                throw new IllegalStateException("unexpected JSON token " + token);
        }
    }

    /**
     * About how many bytes of heap {@code tree} (as {@link #read} builds it) holds, on a 64-bit JVM with compressed
     * references: each map's {@code HashMap} (table and one node per entry) and wrapper, each list's array and
     * wrappers, each string's object and Latin-1 bytes, each boxed number. Property names are not counted: the
     * parser canonicalizes them, so every tree shares one instance of each. An estimate for a memory bound, not a
     * measurement.
     */
    static long estimatedBytes(Object tree) {
        if (tree instanceof Map<?, ?> map) {
            // HashMap's table: 16 slots, doubled while more than three quarters full.
            int capacity = map.isEmpty() ? 0
                    : Math.max(16, Integer.highestOneBit((int) Math.ceil(map.size() / 0.75) * 2 - 1));
            long size = 48 + 16 + (capacity == 0 ? 0 : align(16 + 4L * capacity)) + 32L * map.size();
            for (Object value : map.values()) {
                size += estimatedBytes(value);
            }
            return size;
        }
        if (tree instanceof List<?> list) {
            long size = 24 + 24 + align(16 + 4L * Math.max(10, list.size()));
            for (Object value : list) {
                size += estimatedBytes(value);
            }
            return size;
        }
        if (tree instanceof String string) {
            return 24 + align(16 + string.length());
        }
        if (tree instanceof Long || tree instanceof Double) {
            return 16;
        }
        return 0; // Boolean.TRUE/FALSE and CEL's null: shared
    }

    private static long align(long bytes) {
        return (bytes + 7) & ~7L;
    }
}
