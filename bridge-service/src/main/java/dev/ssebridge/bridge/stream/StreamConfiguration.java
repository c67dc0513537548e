package dev.ssebridge.bridge.stream;

import dev.ssebridge.bridge.admission.AdmissionControl;
import dev.ssebridge.bridge.admission.ClientAddresses;
import dev.ssebridge.bridge.admission.QueryLimits;
import dev.ssebridge.bridge.channel.Channels;
import dev.ssebridge.bridge.config.BridgeProperties;
import dev.ssebridge.bridge.connection.ConnectionRegistry;
import dev.ssebridge.bridge.connection.ConnectionStreams;
import dev.ssebridge.bridge.cursor.CursorCodec;
import dev.ssebridge.bridge.kafka.FamilyTails;
import dev.ssebridge.bridge.policy.RecordPolicies;
import dev.ssebridge.bridge.request.FilterRequests;
import dev.ssebridge.bridge.security.ChannelAccess;
import dev.ssebridge.bridge.security.StreamAuthentication;
import dev.ssebridge.bridge.security.StreamSecurityHeaders;
import dev.ssebridge.bridge.where.WhereCompiler;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.function.Supplier;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.server.reactive.HttpHandler;
import org.springframework.http.server.reactive.ReactorHttpHandlerAdapter;
import org.springframework.util.function.SingletonSupplier;

/**
 * The HTTP entry of streams: the Netty route below WebFlux, the admission filter of the WebFlux path, the
 * server's accept backlog, and which requests are observed.
 */
@Configuration(proxyBeanMethods = false)
class StreamConfiguration {

    @Bean
    StreamObservations streamObservations() {
        return new StreamObservations();
    }

    @Bean
    AcceptBacklog acceptBacklog(BridgeProperties properties) {
        return new AcceptBacklog(properties.stream().acceptBacklog());
    }

    @Bean
    StreamGate streamGate(AdmissionControl admission, BridgeProperties properties, StreamAuthentication authentication,
                          StreamSecurityHeaders securityHeaders) {
        return new StreamGate(admission, new ClientAddresses(properties.admission().clientAddressHeader()),
                new QueryLimits(properties.admission()), authentication, securityHeaders);
    }

    @Bean
    AdmissionFilter admissionFilter(StreamGate gate, MeterRegistry meters) {
        return new AdmissionFilter(gate, meters);
    }


    /** The filters of streams and history queries; one bean, so both read them the same way. */
    @Bean
    FilterRequests filterRequests(Channels channels, WhereCompiler where) {
        return new FilterRequests(channels, where);
    }

    @Bean
    StreamOpener streamOpener(Channels channels, ConnectionStreams streams, ConnectionRegistry registry,
                              CursorCodec codec, Clock clock, BridgeProperties properties, ChannelAccess access,
                              FilterRequests filters, RecordPolicies policies, FamilyTails familyTails) {
        return new StreamOpener(channels, streams, registry, codec, clock, properties, access, filters, policies,
                familyTails);
    }

    @Bean
    StreamCompression streamCompression(BridgeProperties properties, MeterRegistry meters) {
        return new StreamCompression(properties.stream().compression(), meters);
    }

    @Bean
    NettyStreamRoute nettyStreamRoute(StreamOpener opener, StreamGate gate, ObjectProvider<HttpHandler> httpHandler,
                                      MeterRegistry meters, StreamCompression compression) {
        return new NettyStreamRoute(opener, gate, webflux(httpHandler), meters, compression);
    }

    /** The WebFlux handler, the same one the server runs for every other route, built on first use. */
    private static Supplier<ReactorHttpHandlerAdapter> webflux(
            ObjectProvider<HttpHandler> httpHandler) {
        return SingletonSupplier.of(() -> new ReactorHttpHandlerAdapter(httpHandler.getObject()));
    }
}
