package dev.ssebridge.bridge.stream;

/** This instance is shutting down and takes no new stream. */
class ShuttingDownException extends RuntimeException {

    ShuttingDownException() {
        super("this bridge instance is shutting down; connect to another instance or retry shortly");
    }
}
