package dev.ssebridge.bridge.admission;

import dev.ssebridge.bridge.config.BridgeProperties.AdmissionProperties;
import java.util.List;
import java.util.Map;

/** Bounds on an API request's query: name length, value length, number of values. */
public final class QueryLimits {

    private static final int MAX_NAME = 64;

    private final AdmissionProperties limits;

    public QueryLimits(AdmissionProperties limits) {
        this.limits = limits;
    }

    /** What is wrong with the query, for a 400, or null when it is within bounds. */
    public String check(Map<String, List<String>> query) {
        int values = 0;
        for (Map.Entry<String, List<String>> entry : query.entrySet()) {
            if (entry.getKey().length() > MAX_NAME) {
                return "A query parameter name is longer than " + MAX_NAME + " characters.";
            }
            for (String value : entry.getValue()) {
                values++;
                if (value != null && value.length() > limits.maxQueryValueLength()) {
                    return "Query parameter '" + entry.getKey() + "' is longer than " + limits.maxQueryValueLength()
                            + " characters.";
                }
            }
        }
        if (values > limits.maxQueryParameters()) {
            return "More than " + limits.maxQueryParameters() + " query parameter values.";
        }
        return null;
    }
}
