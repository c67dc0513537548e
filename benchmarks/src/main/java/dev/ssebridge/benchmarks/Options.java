package dev.ssebridge.benchmarks;

import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** {@code --name value} command-line options with defaults; unknown names are an error. */
record Options(String scenario, Map<String, String> values) {

    private static final Map<String, String> DEFAULTS = Map.ofEntries(
            Map.entry("bridge", "http://127.0.0.1:8080"),
            Map.entry("bootstrap", "127.0.0.1:9092"),
            Map.entry("channel", "bench"),
            Map.entry("topic", "bench.events"),
            Map.entry("bridge-pid", "0"),
            Map.entry("clients", "100"),
            Map.entry("rate", "10"),
            Map.entry("rates", "10,50,100,200,500,1000"),
            Map.entry("duration", "PT30S"),
            // Traffic before anything is measured, at the first measured rate: the bridge is a fresh JVM.
            Map.entry("warmup", "PT20S"),
            Map.entry("hold", "PT30S"),
            Map.entry("events", "1000000"),
            Map.entry("away-events", "200"),
            // The first storm compiles the resume path of a fresh JVM; the later ones are a running server's.
            Map.entry("storms", "5"),
            Map.entry("connect-rate", "2000"),
            Map.entry("max-p99-ms", "100"),
            // Another server than the bridge (KafkaSSE): its stream path, and no "connected" event to wait for.
            Map.entry("path", ""),
            Map.entry("connected-on", "event"),
            // broadcast and fanout: "netty" (Reactor Netty, one thread per core) or "nio" (SseSwarm: one thread,
            // plain sockets, no HTTP library; the bridge only, it waits for the connected event)
            Map.entry("client", "netty"),
            // json, or avro: plain binary Avro of bench_event.avsc (run.sh sets the bridge's channel to match)
            Map.entry("value-format", "json"),
            // Keys the producer spreads its records over ("task-<seq mod keys>"); snapshot: keys of the state.
            Map.entry("keys", "16"),
            // Query added to every stream's path, e.g. "max_rate=1" (conflated fan-out)
            Map.entry("query", ""),
            // true: clients send Accept-Encoding: gzip and inflate what they read
            Map.entry("gzip", "false"),
            // flood: new half-written connections a second from 127.0.0.3
            Map.entry("flood-rate", "1000"),
            // slowreader: how many slow readers join beside the fast clients
            Map.entry("slow-readers", "1"),
            // broadcast, fanout, flood (Netty client): streams come from 127.0.1.1..N in turn (0: from 127.0.0.1), so
            // the bridge's caps per address apply as to N client networks
            Map.entry("local-addresses", "0"),
            // Record policy: each client streams with a token of one of this many claim sets (0: no token);
            // run.sh sets the bridge's policy and secret to match
            Map.entry("claim-sets", "0"),
            Map.entry("token-secret", ""),
            // soak (benchmarks/soak.sh passes the jars and its own defaults): where it writes, the stack it starts
            Map.entry("soak-dir", "benchmarks/target/soak"),
            Map.entry("bridge-jar", ""),
            Map.entry("simulators-jar", ""),
            Map.entry("bridge-java", ""),
            Map.entry("bridge-opts", ""),
            Map.entry("bridge-port", "18080"),
            Map.entry("kafka-port", "19092"),
            Map.entry("seed", "1"),
            // soak: short-lived tokens' life; a churning client's connection's mean life; the freshness bound
            Map.entry("token-life", "PT3M"),
            Map.entry("churn-period", "PT60S"),
            Map.entry("fresh-within", "PT15S"),
            // soak: when the broker, then the bridge, restart, as shares of the duration
            Map.entry("broker-restart-at", "0.25"),
            Map.entry("bridge-restart-at", "0.6"),
            // soak: hostile requests a second; a flood of flood-size stream requests from one address every
            // flood-every seconds; half-written requests a second
            Map.entry("hostile-rate", "5"),
            Map.entry("flood-every", "300"),
            Map.entry("flood-size", "600"),
            Map.entry("half-written-rate", "20"),
            Map.entry("sample-every", "PT10S"),
            Map.entry("max-pending-events", "300"),
            Map.entry("ping-interval", "PT30S"),
            Map.entry("ring-max-events", "2000"));

    static Options parse(String[] args) {
        if (args.length == 0) {
            throw new IllegalArgumentException("usage: benchmark <idle|broadcast|fanout|storm|catchup|slowreader|snapshot|conflated|kafka|flood|family|burst|soak> [--name value]...");
        }
        Map<String, String> values = new HashMap<>(DEFAULTS);
        for (int i = 1; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--") || i + 1 >= args.length || !DEFAULTS.containsKey(arg.substring(2))) {
                throw new IllegalArgumentException("unknown or incomplete option " + arg + "; options: " + DEFAULTS.keySet());
            }
            values.put(arg.substring(2), args[++i]);
        }
        return new Options(args[0], values);
    }

    String text(String name) {
        return values.get(name);
    }

    int integer(String name) {
        return Integer.parseInt(values.get(name));
    }

    long number(String name) {
        return Long.parseLong(values.get(name));
    }

    Duration duration(String name) {
        return Duration.parse(values.get(name));
    }

    List<Integer> integers(String name) {
        return Arrays.stream(values.get(name).split(",")).map(String::trim).map(Integer::parseInt).toList();
    }

    String path() {
        String path = text("path").isEmpty() ? "/api/v1/sse/" + text("channel") : text("path");
        return text("query").isEmpty() ? path : path + (path.contains("?") ? "&" : "?") + text("query");
    }

    /** The path of client {@code i}: {@link #path()}, with its token when {@code --claim-sets} asks for tokens. */
    String pathOf(int i) {
        int sets = integer("claim-sets");
        if (sets <= 0) {
            return path();
        }
        String token = BenchTokens.forClient(text("token-secret"), i, sets, integer("keys"));
        return path() + (path().contains("?") ? "&" : "?") + "access_token=" + token;
    }

    String query() {
        return text("query").isEmpty() ? "no query" : "?" + text("query");
    }

    boolean gzip() {
        return Boolean.parseBoolean(text("gzip"));
    }

    /** True when a stream counts as open once its 200 arrives, for servers that send no connected event. */
    boolean connectedOnHeaders() {
        return text("connected-on").equals("headers");
    }
}
