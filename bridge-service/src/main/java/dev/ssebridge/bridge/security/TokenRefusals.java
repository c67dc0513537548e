package dev.ssebridge.bridge.security;

import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.BadJWSException;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.List;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.jwt.JwtValidationException;

/**
 * Says what was wrong with a refused bearer token, in words a client developer can act on. The decoder's own words
 * are kept where they name the problem ("Jwt expired at ..."), and replaced where they do not: a token signed with
 * another key reaches the client as "Failed to validate the token", its reason ("Invalid signature") one cause
 * further down. Never repeats the token or a claim's value beyond the expiry time.
 */
final class TokenRefusals {

    private TokenRefusals() {
    }

    /** Why the token was refused, from the decoder's exception; {@code fallback} when nothing better is known. */
    static String reason(Throwable refusal, String fallback) {
        for (Throwable cause = refusal; cause != null; cause = cause.getCause()) {
            if (cause instanceof JwtValidationException invalid) {
                List<String> reasons = new ArrayList<>();
                for (OAuth2Error error : invalid.getErrors()) {
                    reasons.add(validation(error.getDescription()));
                }
                return String.join("; ", reasons);
            }
            if (cause instanceof BadJWSException) {
                return "its signature does not verify with the bridge's key: another secret or key signed it";
            }
            if (cause instanceof ParseException) {
                return "it is not a JWT (three base64url parts separated by dots)";
            }
            String message = cause.getMessage() == null ? "" : cause.getMessage();
            if (message.contains("algorithm of none")) {
                return "it is unsigned (alg: none); only signed tokens are accepted";
            }
            if (cause instanceof BadJOSEException) {
                return "it is signed with an algorithm the bridge does not accept";
            }
        }
        return fallback;
    }

    private static String validation(String description) {
        if (description == null) {
            return "a claim is not valid";
        }
        if (description.startsWith("Jwt expired at")) {
            return "it expired at " + description.substring("Jwt expired at".length()).trim();
        }
        if (description.contains("iss claim")) {
            return "it was issued by another issuer than the one the bridge trusts (bridge.security.issuer)";
        }
        if (description.contains("exp claim")) {
            return "it has no exp claim: a token must say when it ends, since a stream ends with it";
        }
        if (description.contains("aud claim")) {
            return "its audience does not include the bridge's (bridge.security.audience)";
        }
        if (description.contains("nbf") || description.contains("before")) {
            return "it is not valid yet (nbf)";
        }
        return description;
    }
}
