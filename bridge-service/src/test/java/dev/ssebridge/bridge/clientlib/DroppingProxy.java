package dev.ssebridge.bridge.clientlib;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP proxy in front of the bridge that a test can make misbehave: drop every connection it carries (what a
 * network does to a stream), or stall, reading nothing more from the bridge (a client that stopped reading: the
 * bridge's socket fills and its outbox then ends the stream as fallen behind). Its side towards the bridge asks
 * for a small receive buffer, so that a stall fills the bridge's socket within kilobytes, not megabytes.
 */
final class DroppingProxy implements AutoCloseable {

    private final ServerSocket listener;
    private final int target;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final Object gate = new Object();
    private boolean stalled; // guarded by gate

    DroppingProxy(int target) throws IOException {
        this.target = target;
        listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        daemon("proxy-accept-" + port(), this::accept);
    }

    int port() {
        return listener.getLocalPort();
    }

    private void accept() {
        while (!listener.isClosed()) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                return; // closed
            }
            try {
                Socket upstream = new Socket();
                upstream.setReceiveBufferSize(4096);
                upstream.connect(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), target));
                open.add(client);
                open.add(upstream);
                pump(client, upstream, false);
                pump(upstream, client, true);
            } catch (IOException e) {
                // The bridge is not there (restarting): the client's connection fails, as through a real proxy.
                closeQuietly(client);
            }
        }
    }

    private void pump(Socket from, Socket to, boolean towardsClient) {
        daemon("proxy-pump", () -> {
            byte[] buffer = new byte[2048];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                for (;;) {
                    if (towardsClient) {
                        awaitNotStalled();
                    }
                    int n = in.read(buffer);
                    if (n < 0) {
                        break;
                    }
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException | InterruptedException e) {
                // dropped, or the other side went away
            } finally {
                closeQuietly(from);
                closeQuietly(to);
                open.remove(from);
                open.remove(to);
            }
        });
    }

    private static void daemon(String name, Runnable task) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        thread.start();
    }

    private void awaitNotStalled() throws InterruptedException {
        synchronized (gate) {
            while (stalled) {
                gate.wait();
            }
        }
    }

    /** Closes every connection through the proxy; returns how many sockets it closed. */
    int drop() {
        List<Socket> sockets = List.copyOf(open);
        sockets.forEach(DroppingProxy::closeQuietly);
        open.removeAll(sockets);
        return sockets.size();
    }

    void stall() {
        synchronized (gate) {
            stalled = true;
        }
    }

    void resume() {
        synchronized (gate) {
            stalled = false;
            gate.notifyAll();
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // already closed
        }
    }

    @Override
    public void close() {
        closeQuietly(listener);
        resume();
        drop();
    }

    private static void closeQuietly(ServerSocket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // already closed
        }
    }
}
