package dev.ssebridge.bridge.connection;

import org.springframework.context.SmartLifecycle;

/**
 * On shutdown, ends every stream with a {@code stream_end} event before the web server's graceful
 * shutdown starts waiting for open requests: SSE responses never finish on their own, so without this
 * the server would wait out its whole grace period and then cut them. Clients reconnect at once, to
 * another instance, and resume from their cursor.
 */
final class StreamShutdown implements SmartLifecycle {

    private final ConnectionRegistry registry;
    private volatile boolean running;

    StreamShutdown(ConnectionRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void start() {
        running = true;
    }

    @Override
    public void stop() {
        registry.close();
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Stops first (highest phase): before graceful shutdown of the web server and before the tails. */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE;
    }
}
