package dev.ssebridge.schemas;

/**
 * One way a JSON document breaks its schema.
 *
 * @param location JSON Pointer-like path of the offending value, e.g. {@code $.metrics.accuracy}
 * @param message  what is wrong, starting with the location so that it names the field
 */
public record Violation(String location, String message) {

    @Override
    public String toString() {
        return message;
    }
}
