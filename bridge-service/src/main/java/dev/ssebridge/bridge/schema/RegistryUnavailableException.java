package dev.ssebridge.bridge.schema;

/**
 * No registry URL gave an answer about a schema: refused connections, time-outs, 5xx, refused credentials,
 * or an answer that is not the Confluent API's. Says nothing about the record, so the record must be tried
 * again later, never skipped. The message names the URLs and what each did, never a credential.
 */
public final class RegistryUnavailableException extends Exception {

    RegistryUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
