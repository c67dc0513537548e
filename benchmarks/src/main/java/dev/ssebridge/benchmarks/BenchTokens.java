package dev.ssebridge.benchmarks;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.ssebridge.testsupport.TestTokens;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

/**
 * Tokens for the record-policy benchmark ({@code --claim-sets}): client {@code i} gets claim set
 * {@code i mod claimSets}, whose {@code keys} claim names every key the producer writes plus a marker of the set, so
 * every client is allowed every record (its deliveries compare with a run without a policy) while the bridge sees
 * {@code claimSets} distinct sets of the claim its policy reads ({@code record.key in claims.keys}).
 */
final class BenchTokens {

    private BenchTokens() {
    }

    static String forClient(String secret, int client, int claimSets, int keys) {
        List<String> allowed = new ArrayList<>();
        for (int k = 0; k < keys; k++) {
            allowed.add("task-" + k);
        }
        allowed.add("set-" + (client % claimSets));
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .subject("bench-" + client)
                .claim("scope", "sse:*")
                .claim("keys", allowed)
                .issueTime(Date.from(Instant.now().minusSeconds(1)))
                .expirationTime(Date.from(Instant.now().plus(Duration.ofDays(1))))
                .build();
        return TestTokens.sign(claims, secret);
    }
}
