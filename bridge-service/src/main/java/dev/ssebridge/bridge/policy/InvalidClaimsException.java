package dev.ssebridge.bridge.policy;

/**
 * A claim a channel's policy reads is too large or too deep to evaluate (see {@link ClaimValues}). The message names
 * the claim and the bound, never its value: a claim is the caller's data.
 */
public class InvalidClaimsException extends RuntimeException {

    private final String claim;

    public InvalidClaimsException(String claim, String problem) {
        super("the token's claim '" + claim + "' " + problem + ", more than a channel's policy evaluates");
        this.claim = claim;
    }

    /** The claim's name. */
    public String claim() {
        return claim;
    }
}
