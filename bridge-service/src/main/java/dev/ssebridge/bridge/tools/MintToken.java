package dev.ssebridge.bridge.tools;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

/**
 * Mints an HS256 token for a bridge started with {@code bridge.security.hmac-secret}: for the demo's users, and for
 * trying a secured bridge without an identity provider. Prints the token and nothing else.
 * <pre>
 * java -cp bridge-service/target/bridge-service-0.1.0-SNAPSHOT.jar \
 *      -Dloader.main=dev.ssebridge.bridge.tools.MintToken org.springframework.boot.loader.launch.PropertiesLauncher \
 *      --secret "$SSE_JWT_SECRET" --subject alice --scope "sse:*" --list portfolios=portfolio-001,portfolio-003
 * </pre>
 * Options: {@code --secret} (at least 32 bytes, required), {@code --subject} (required), {@code --scope} (the grants,
 * {@code sse:*} by default), {@code --issuer}, {@code --ttl} (ISO-8601, {@code PT12H} by default), and any number of
 * {@code --claim name=value} (a string claim) and {@code --list name=a,b} (a list claim; {@code name=} is empty).
 */
public final class MintToken {

    private MintToken() {
    }

    public static void main(String[] args) {
        try {
            System.out.println(mint(args));
        } catch (IllegalArgumentException e) {
            System.err.println("MintToken: " + e.getMessage());
            System.exit(2);
        }
    }

    static String mint(String[] args) {
        String secret = null;
        String subject = null;
        String scope = "sse:*";
        String issuer = null;
        Duration ttl = Duration.ofHours(12);
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder();
        for (int i = 0; i < args.length; i++) {
            String name = args[i];
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(name + " needs a value");
            }
            String value = args[++i];
            switch (name) {
                case "--secret" -> secret = value;
                case "--subject" -> subject = value;
                case "--scope" -> scope = value;
                case "--issuer" -> issuer = value;
                case "--ttl" -> ttl = Duration.parse(value);
                case "--claim" -> claim(claims, value, false);
                case "--list" -> claim(claims, value, true);
                default -> throw new IllegalArgumentException("unknown option " + name
                        + "; options: --secret --subject --scope --issuer --ttl --claim --list");
            }
        }
        if (secret == null || secret.getBytes(StandardCharsets.UTF_8).length < 32) {
            throw new IllegalArgumentException("--secret must be at least 32 bytes (the bridge's hmac-secret)");
        }
        if (subject == null) {
            throw new IllegalArgumentException("--subject is required");
        }
        Instant now = Instant.now();
        claims.subject(subject).claim("scope", scope).issueTime(Date.from(now.minusSeconds(1)))
                .expirationTime(Date.from(now.plus(ttl)));
        if (issuer != null) {
            claims.issuer(issuer);
        }
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims.build());
            jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalArgumentException("cannot sign: " + e.getMessage(), e);
        }
    }

    private static void claim(JWTClaimsSet.Builder claims, String nameAndValue, boolean list) {
        int equals = nameAndValue.indexOf('=');
        if (equals <= 0) {
            throw new IllegalArgumentException("--claim takes name=value, not " + nameAndValue);
        }
        String name = nameAndValue.substring(0, equals);
        String value = nameAndValue.substring(equals + 1);
        if (list) {
            List<String> values = new ArrayList<>();
            for (String part : value.split(",")) {
                if (!part.isEmpty()) {
                    values.add(part);
                }
            }
            claims.claim(name, values);
        } else {
            claims.claim(name, value);
        }
    }
}
