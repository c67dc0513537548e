package dev.ssebridge.bridge.request;

import java.util.UUID;
import java.util.regex.Pattern;

/** Client ids: given by the client within bounds, or generated. */
public final class ClientIds {

    static final int MAX_LENGTH = 64;
    private static final Pattern ALLOWED = Pattern.compile("[A-Za-z0-9._:-]{1," + MAX_LENGTH + "}");

    private ClientIds() {
    }

    /** {@code requested} when acceptable, a new UUID when absent; {@link InvalidParameterException} otherwise. */
    public static String resolve(String requested) {
        if (requested == null || requested.isEmpty()) {
            return UUID.randomUUID().toString();
        }
        if (!ALLOWED.matcher(requested).matches()) {
            throw new InvalidParameterException("client_id",
                    "client_id must be 1 to " + MAX_LENGTH + " characters of A-Z a-z 0-9 . _ : -");
        }
        return requested;
    }
}
