package dev.ssebridge.bridge.connection;

import reactor.core.publisher.Mono;

/**
 * When a connection's socket can take more. A snapshot or a Kafka replay can be far larger than a socket takes at
 * once; its items are produced only as the socket keeps up, so what waits for a slow client stays where it is
 * (the shared state, Kafka) instead of being copied into the connection's outbound buffer. Reactor Netty's flow
 * control on a response ({@code MonoSendMany}) counts messages, not bytes: it writes up to 128 before any completes,
 * which for 32 KB snapshot runs was 4 MB of direct memory per connection, and for 1,000 clients joining with a
 * 100,000-key snapshot 10 GB of RSS (benchmarks/RESULTS.md). The stream route's own writer asks for 16 at a time,
 * and only while the socket takes more; the gate still spares it the 16 and serves the responses it does not write
 * (HTTP/2, WebFlux).
 */
@FunctionalInterface
public interface WriteGate {

    /** For responses not written by Netty: no gate. */
    WriteGate OPEN = Mono::empty;

    /** Completes once the socket can take more (at once when it can), or when the connection is gone. */
    Mono<Void> whenWritable();
}
