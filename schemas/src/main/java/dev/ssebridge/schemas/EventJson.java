package dev.ssebridge.schemas;

import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

/**
 * The JSON mapping of the payload records: snake_case names as on the wire, ISO dates.
 * A {@link JsonMapper} is immutable and thread-safe, so one instance serves a whole application.
 */
public final class EventJson {

    private EventJson() {
    }

    /** A new mapper for the payload records. */
    public static JsonMapper mapper() {
        return JsonMapper.builder()
                .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .build();
    }
}
