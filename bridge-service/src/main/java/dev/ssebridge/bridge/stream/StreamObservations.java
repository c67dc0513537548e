package dev.ssebridge.bridge.stream;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationPredicate;
import org.springframework.http.server.reactive.observation.ServerRequestObservationContext;

/**
 * Keeps Micrometer observations off what lives as long as an SSE stream. An observation of a stream
 * request (Spring's {@code http.server.requests}) stays open, with its
 * context, key values and filter-chain wrappers, for the hours the stream lasts: measured at about a third
 * of an idle connection's heap. Streams have their own metrics (connections, deliveries, latency); every
 * other request is still observed.
 */
final class StreamObservations implements ObservationPredicate {

    @Override
    public boolean test(String name, Observation.Context context) {
        if (context instanceof ServerRequestObservationContext request) {
            return !StreamPaths.isStream(request.getCarrier().getPath().value());
        }
        return true;
    }
}
