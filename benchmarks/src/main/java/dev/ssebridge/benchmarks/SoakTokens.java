package dev.ssebridge.benchmarks;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.ssebridge.testsupport.TestTokens;
import java.util.Date;

/** The soak's tokens: HMAC-signed with the bridge's secret (valid or expired), or with another one (forged). */
record SoakTokens(String secret) {

    /** A token for {@code subject}, allowed every channel, expiring at {@code expiresAtMillis}. */
    String valid(String subject, long expiresAtMillis) {
        return TestTokens.sign(claims(subject, expiresAtMillis), secret);
    }

    String expired(String subject) {
        return valid(subject, System.currentTimeMillis() - 600_000); // well past the bridge's 30 s clock skew
    }

    /** Well formed and unexpired, signed with a secret the bridge does not know. */
    String forged(String subject) {
        return TestTokens.sign(claims(subject, System.currentTimeMillis() + 3_600_000),
                "a-forger-s-own-secret-of-at-least-32-bytes-0123");
    }

    private static JWTClaimsSet claims(String subject, long expiresAtMillis) {
        return new JWTClaimsSet.Builder()
                .subject(subject)
                .claim("scope", "sse:*")
                .issueTime(new Date(Math.min(System.currentTimeMillis(), expiresAtMillis) - 120_000))
                .expirationTime(new Date(expiresAtMillis))
                .build();
    }
}
