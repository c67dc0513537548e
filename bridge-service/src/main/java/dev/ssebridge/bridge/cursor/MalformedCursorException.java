package dev.ssebridge.bridge.cursor;

/** A client sent something that is not a cursor this bridge wrote, or one it cannot serve. */
public class MalformedCursorException extends RuntimeException {

    public MalformedCursorException(String problem) {
        super(problem);
    }
}
