package dev.ssebridge.bridge.trace;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.TraceContext;
import io.micrometer.tracing.Tracer;
import java.util.function.Function;

/**
 * Continues a producer's trace through the bridge: for a record that carries a trace context, one span of the
 * bridge's work on it (decoding it and handing it to every event loop that serves its channel: one per record, never
 * per connection), a child of the producer's span, and the {@code traceparent} its event carries to the clients, whose
 * parent is that span. Micrometer Tracing over OpenTelemetry: whether a span is recorded is the producer's sampling
 * decision (the sampler follows a remote parent), and recorded spans are exported over OTLP only when an endpoint is
 * configured ({@code management.opentelemetry.tracing.export.otlp.endpoint}).
 *
 * <p>Thread: a channel's tail thread, one record at a time.
 */
public final class FanoutTracing {

    private final Tracer tracer;

    public FanoutTracing(Tracer tracer) {
        this.tracer = tracer;
    }

    /**
     * The fan-out of one record, started, or null when the record carries no valid {@code traceparent}.
     *
     * @param headers the record's last value of a header by name, as text
     */
    public Fanout start(Function<String, String> headers, String channel, String topic, int partition, long offset) {
        TraceParent parent = TraceParent.parse(headers.apply(TraceParent.HEADER));
        if (parent == null) {
            return null;
        }
        TraceContext remote = tracer.traceContextBuilder()
                .traceId(parent.traceId())
                .spanId(parent.parentId())
                .sampled(parent.sampled())
                .build();
        Span span = tracer.spanBuilder()
                .setParent(remote)
                .name("ssebridge fan-out " + channel)
                .kind(Span.Kind.CONSUMER)
                .tag("messaging.system", "kafka")
                .tag("messaging.operation.type", "process")
                .tag("messaging.destination.name", topic)
                .tag("messaging.destination.partition.id", String.valueOf(partition))
                .tag("messaging.kafka.offset", String.valueOf(offset))
                .tag("ssebridge.channel", channel)
                .start();
        return new Fanout(span, continued(span.context(), parent));
    }

    /**
     * What the clients continue from: the bridge's span when there is one (a tracer that records nothing has no span
     * ids), else the producer's.
     */
    private static TraceParent continued(TraceContext context, TraceParent producer) {
        TraceParent bridge = context == null ? null : TraceParent.parse("00-" + context.traceId() + "-"
                + context.spanId() + "-" + producer.flags());
        return bridge != null && bridge.traceId().equals(producer.traceId()) ? bridge : producer;
    }

    /** A record's fan-out span, and the trace context its event carries. */
    public static final class Fanout {

        private final Span span;
        private final TraceParent continued;

        Fanout(Span span, TraceParent continued) {
            this.span = span;
            this.continued = continued;
        }

        /** The {@code traceparent} the record's event carries to its clients. */
        public String traceparent() {
            return continued.header();
        }

        /** The record was handed to every event loop ({@code subscribers} connections then), or not deliverable. */
        public void end(int subscribers, String outcome) {
            span.tag("ssebridge.subscribers", String.valueOf(subscribers));
            span.tag("ssebridge.outcome", outcome);
            span.end();
        }

        /** The tail could not go on with the record (it waits for the schema registry and reads it again). */
        public void fail(Throwable error) {
            span.error(error);
            span.end();
        }
    }
}
