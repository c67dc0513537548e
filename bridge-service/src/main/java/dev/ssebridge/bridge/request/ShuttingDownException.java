package dev.ssebridge.bridge.request;

/** This instance is shutting down and takes no new stream. */
public class ShuttingDownException extends RuntimeException {

    public ShuttingDownException() {
        super("this bridge instance is shutting down; connect to another instance or retry shortly");
    }
}
