package dev.ssebridge.benchmarks;

import dev.ssebridge.testsupport.SseSwarm;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The connections of a broadcast or fan-out run and the counts they feed, from either load generator: Reactor
 * Netty ({@link SseLoad}, a thread per core) or plain NIO ({@link SseSwarm}, one thread, no HTTP library), so a
 * figure can be checked against a client that shares no code with the server.
 */
record Fleet(Stats stats, List<? extends Receiver> clients, AutoCloseable resource) implements AutoCloseable {

    /** Opens {@code --clients} streams with the load generator {@code --client} names. */
    static Fleet open(Options options) {
        int n = options.integer("clients");
        Duration timeout = Duration.ofSeconds(60 + n / 200);
        if (options.text("client").equals("nio")) {
            Stats stats = new Stats();
            SseSwarm swarm = new SseSwarm(0, (seq, data) -> stats.delivered(number(data, "\"sent_us\":")));
            try {
                List<Receiver> clients = swarm.open(port(options.text("bridge")), options.path(), "bench_event", n, timeout)
                        .stream().<Receiver>map(Fleet::receiver).toList();
                return new Fleet(stats, clients, swarm);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        SseLoad load = new SseLoad(options.text("bridge"), options.connectedOnHeaders(), options.gzip(),
                options.integer("local-addresses"));
        List<SseLoad.Client> clients = load.open(n, options::pathOf, options.integer("connect-rate"), false);
        if (!SseLoad.awaitConnected(clients, timeout)) {
            load.close();
            throw new IllegalStateException(SseLoad.connectedCount(clients) + " of " + n + " clients connected; "
                    + load.stats.errors() + " connection errors");
        }
        return new Fleet(load.stats, clients, load);
    }

    private static Receiver receiver(SseSwarm.Connection connection) {
        return new Receiver() {
            @Override
            public int missing(long first, long end) {
                return connection.missing((int) first, (int) end);
            }

            @Override
            public long latencyOfLast(long seq) {
                String data = connection.maxSeqData();
                Instant arrival = connection.maxSeqArrival();
                if (connection.maxSeq() != seq || data == null) {
                    return -1;
                }
                long arrivalMicros = arrival.getEpochSecond() * 1_000_000L + arrival.getNano() / 1_000;
                return Math.max(0, arrivalMicros - number(data, "\"sent_us\":"));
            }
        };
    }

    private static int port(String url) {
        return java.net.URI.create(url).getPort();
    }

    /** The number after {@code field} in {@code data}, or -1. */
    private static long number(String data, String field) {
        int at = data.indexOf(field);
        if (at < 0) {
            return -1;
        }
        long value = 0;
        for (int i = at + field.length(); i < data.length() && Character.isDigit(data.charAt(i)); i++) {
            value = value * 10 + (data.charAt(i) - '0');
        }
        return value;
    }

    @Override
    public void close() {
        try {
            resource.close();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
