package dev.ssebridge.testsupport;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;

/** HMAC-signed JWTs for tests and the load generator, as an identity provider would issue them. */
public final class TestTokens {

    public static final String SECRET = "test-secret-of-at-least-32-bytes-0123456789";
    public static final String ISSUER = "https://login.example.test";

    private TestTokens() {
    }

    /** A valid token for {@code subject} with {@code scope}, expiring after {@code ttl}. */
    public static String token(String subject, String scope, Duration ttl) {
        return sign(claims(subject, scope, Instant.now().plus(ttl), ISSUER), SECRET);
    }

    public static String token(String subject, String scope) {
        return token(subject, scope, Duration.ofMinutes(10));
    }

    /** A valid token as {@link #token(String, String, Duration)}, with further claims (what a record policy reads). */
    public static String token(String subject, String scope, Duration ttl, Map<String, ?> extra) {
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder(claims(subject, scope, Instant.now().plus(ttl), ISSUER));
        extra.forEach(claims::claim);
        return sign(claims.build(), SECRET);
    }

    public static JWTClaimsSet claims(String subject, String scope, Instant expiresAt, String issuer) {
        return new JWTClaimsSet.Builder().subject(subject).issuer(issuer).claim("scope", scope)
                .issueTime(Date.from(earliest(Instant.now().minusSeconds(1), expiresAt.minusSeconds(60)))).expirationTime(Date.from(expiresAt)).build();
    }

    private static Instant earliest(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    public static String sign(JWTClaimsSet claims, String secret) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
            jwt.sign(new MACSigner(secret));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The same claims, unsigned ({@code alg: none}). */
    public static String unsigned(JWTClaimsSet claims) {
        return new PlainJWT(claims).serialize();
    }
}
