package dev.ssebridge.bridge.trace;

/**
 * A W3C Trace Context {@code traceparent} (https://www.w3.org/TR/trace-context/#traceparent-header), read strictly: a
 * record's header is producer input, and only a well-formed one reaches a client's event. Version {@code 00} is 55
 * characters; a later version may be longer (what follows the flags is ignored, as the spec asks); {@code ff} is
 * invalid, and so are all-zero ids and upper-case hex.
 *
 * @param traceId  32 lower-case hex digits, not all zero
 * @param parentId 16 lower-case hex digits, not all zero: the span the event's receiver continues from
 * @param flags    2 hex digits; bit 0 is "sampled"
 */
public record TraceParent(String traceId, String parentId, String flags) {

    /** The header's name, on Kafka records as on HTTP requests. */
    public static final String HEADER = "traceparent";

    /** The header value, or null when {@code value} is not a valid {@code traceparent}. */
    public static TraceParent parse(String value) {
        if (value == null || value.length() < 55) {
            return null;
        }
        String version = value.substring(0, 2);
        if (!isHex(value, 0, 2) || version.equals("ff") || (version.equals("00") && value.length() != 55)
                || (value.length() > 55 && value.charAt(55) != '-')
                || value.charAt(2) != '-' || value.charAt(35) != '-' || value.charAt(52) != '-'
                || !isHex(value, 3, 35) || !isHex(value, 36, 52) || !isHex(value, 53, 55)
                || isZero(value, 3, 35) || isZero(value, 36, 52)) {
            return null;
        }
        return new TraceParent(value.substring(3, 35), value.substring(36, 52), value.substring(53, 55));
    }

    /** This context as a version {@code 00} header value. */
    public String header() {
        return "00-" + traceId + "-" + parentId + "-" + flags;
    }

    public boolean sampled() {
        return (Character.digit(flags.charAt(1), 16) & 1) == 1;
    }

    private static boolean isHex(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return true;
    }

    private static boolean isZero(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            if (s.charAt(i) != '0') {
                return false;
            }
        }
        return true;
    }
}
