package dev.ssebridge.bridge.policy;

import dev.cel.common.values.NullValue;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A token's claims as the values a policy evaluates: strings, integers (as {@code Long}), other numbers (as
 * {@code Double}), booleans, lists and maps of them, instants as epoch seconds (what {@code exp} holds on the wire).
 * Bounded, because a token's size is its issuer's choice and a policy runs once per record per claim set: a claim
 * deeper than {@link #MAX_DEPTH}, a list or map of more than {@link #MAX_ELEMENTS}, a string longer than
 * {@link #MAX_STRING} is refused ({@link InvalidClaimsException}, a 400 naming the claim) rather than evaluated.
 */
final class ClaimValues {

    static final int MAX_DEPTH = 8;
    static final int MAX_ELEMENTS = 1024;
    static final int MAX_STRING = 1024;

    private ClaimValues() {
    }

    /**
     * Every claim, as CEL reads it, by name in name order.
     *
     * @throws InvalidClaimsException naming the first claim beyond the bounds
     */
    static Map<String, Object> all(Map<String, Object> claims) {
        Map<String, Object> read = new TreeMap<>();
        claims.forEach((name, value) -> read.put(name, of(name, value)));
        return read;
    }

    /** The claim {@code name} as a policy sees it; CEL {@code null} for an absent claim. */
    static Object of(String name, Object claim) {
        return convert(name, claim, 0);
    }

    private static Object convert(String name, Object value, int depth) {
        if (depth > MAX_DEPTH) {
            throw new InvalidClaimsException(name, "nested deeper than " + MAX_DEPTH + " levels");
        }
        if (value == null) {
            return NullValue.NULL_VALUE;
        }
        if (value instanceof String text) {
            if (text.length() > MAX_STRING) {
                throw new InvalidClaimsException(name, "holds a string longer than " + MAX_STRING + " characters");
            }
            return text;
        }
        if (value instanceof Boolean) {
            return value;
        }
        if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        if (value instanceof Number number) {
            return number.doubleValue();
        }
        if (value instanceof Instant instant) {
            return instant.getEpochSecond();
        }
        if (value instanceof Collection<?> collection) {
            if (collection.size() > MAX_ELEMENTS) {
                throw new InvalidClaimsException(name, "holds more than " + MAX_ELEMENTS + " elements");
            }
            List<Object> list = new ArrayList<>(collection.size());
            for (Object element : collection) {
                list.add(convert(name, element, depth + 1));
            }
            return Collections.unmodifiableList(list);
        }
        if (value instanceof Map<?, ?> map) {
            if (map.size() > MAX_ELEMENTS) {
                throw new InvalidClaimsException(name, "holds more than " + MAX_ELEMENTS + " members");
            }
            Map<String, Object> converted = new HashMap<>();
            map.forEach((k, v) -> converted.put(String.valueOf(k), convert(name, v, depth + 1)));
            return Collections.unmodifiableMap(converted);
        }
        String text = value.toString(); // a URL (iss), a UUID: what the token said, as text
        if (text.length() > MAX_STRING) {
            throw new InvalidClaimsException(name, "holds a value longer than " + MAX_STRING + " characters");
        }
        return text;
    }
}
