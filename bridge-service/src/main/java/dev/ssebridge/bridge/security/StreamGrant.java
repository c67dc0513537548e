package dev.ssebridge.bridge.security;

import java.time.Instant;
import java.util.Map;

/**
 * Who a stream is for, until when, and with what claims.
 *
 * @param owner     the token's subject; empty without security. Connections replace each other only within
 *                  one owner, so no one can end someone else's stream by reusing a client_id.
 * @param expiresAt when the token expires and the stream must end; null when it does not
 * @param claims    the token's claims, which channels' record policies read; empty without security
 */
public record StreamGrant(String owner, Instant expiresAt, Map<String, Object> claims) {

    public static final StreamGrant ANONYMOUS = new StreamGrant("", null, Map.of());
}
