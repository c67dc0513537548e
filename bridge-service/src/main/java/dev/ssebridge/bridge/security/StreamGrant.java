package dev.ssebridge.bridge.security;

import java.time.Instant;

/**
 * Who a stream is for and until when.
 *
 * @param owner     the token's subject; empty without security. Connections replace each other only within
 *                  one owner, so no one can end someone else's stream by reusing a client_id.
 * @param expiresAt when the token expires and the stream must end; null when it does not
 */
public record StreamGrant(String owner, Instant expiresAt) {

    public static final StreamGrant ANONYMOUS = new StreamGrant("", null);
}
