package dev.ssebridge.bridge.kafka;

/** A replay from Kafka made no progress within its idle timeout, or Kafka refused it. */
public class ReplayUnavailableException extends RuntimeException {

    ReplayUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
