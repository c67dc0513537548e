package dev.ssebridge.bridge.schema;

/** A record this bridge will never be able to decode, whatever happens later: it is skipped, with a reason. */
final class NotDecodableException extends Exception {

    private final Decoded.Reason reason;

    NotDecodableException(Decoded.Reason reason, String detail) {
        super(detail);
        this.reason = reason;
    }

    NotDecodableException(Decoded.Reason reason, String detail, Throwable cause) {
        super(detail, cause);
        this.reason = reason;
    }

    Decoded.Reason reason() {
        return reason;
    }

    Decoded.Skip toSkip() {
        return new Decoded.Skip(reason, getMessage());
    }
}
