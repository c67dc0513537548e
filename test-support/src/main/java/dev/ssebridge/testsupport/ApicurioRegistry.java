package dev.ssebridge.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A real Apicurio Registry 3 (the server Maven Central ships as {@code io.apicurio:apicurio-registry-app:tar.gz:all})
 * run as a separate process on loopback ports, with its Confluent-compatible API at {@link #ccompatUrl()}.
 * Its storage is an H2 file in a temporary directory rather than the default in-memory database, so that
 * {@link #stop()} and {@link #start()} model a registry outage: same port, same schemas, same ids.
 * About 5–8 s to be ready on a 2-core machine.
 */
public final class ApicurioRegistry implements AutoCloseable {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);
    private static final JsonMapper JSON = JsonMapper.shared();

    private final Path home;
    private final Path data;
    private final Path log;
    private final int httpPort;
    private final int managementPort;
    private final Tls tls;
    private final HttpClient http;
    private Process process;

    /**
     * The API over HTTPS only: the server's certificate and key, and a trust store holding that certificate (for this
     * class's own requests). PKCS12, one password for both.
     */
    public record Tls(Path keyStore, Path trustStore, String password) {
    }

    private ApicurioRegistry(Path home, Path data, int httpPort, int managementPort, Tls tls) {
        this.home = home;
        this.data = data;
        this.log = data.resolve("registry.log");
        this.httpPort = httpPort;
        this.managementPort = managementPort;
        this.tls = tls;
        this.http = tls == null ? HttpClient.newHttpClient() : HttpClient.newBuilder().sslContext(trusting(tls)).build();
    }

    /** @param home the unpacked archive: the directory holding {@code quarkus-run.jar} */
    public static ApicurioRegistry start(Path home) {
        return start(home, null);
    }

    /** @param tls the API over HTTPS only, with this certificate; null: plain HTTP */
    public static ApicurioRegistry start(Path home, Tls tls) {
        if (!Files.isRegularFile(home.resolve("quarkus-run.jar"))) {
            throw new IllegalStateException(home + " holds no quarkus-run.jar: is apicurio-registry-app unpacked there?");
        }
        try {
            int httpPort = freePort();
            int managementPort = freePort();
            while (managementPort == httpPort) {
                managementPort = freePort();
            }
            ApicurioRegistry registry = new ApicurioRegistry(home, Files.createTempDirectory("apicurio-registry"),
                    httpPort, managementPort, tls);
            registry.start();
            return registry;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The Confluent-compatible API root, for the bridge's registry client. */
    public String ccompatUrl() {
        return (tls == null ? "http" : "https") + "://127.0.0.1:" + httpPort + "/apis/ccompat/v7";
    }

    private static javax.net.ssl.SSLContext trusting(Tls tls) {
        try (java.io.InputStream in = Files.newInputStream(tls.trustStore())) {
            java.security.KeyStore store = java.security.KeyStore.getInstance("PKCS12");
            store.load(in, tls.password().toCharArray());
            javax.net.ssl.TrustManagerFactory trust = javax.net.ssl.TrustManagerFactory.getInstance(
                    javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
            trust.init(store);
            javax.net.ssl.SSLContext context = javax.net.ssl.SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("cannot read the trust store " + tls.trustStore(), e);
        }
    }

    /** A schema another one imports: its import path (Protobuf) or full name (Avro), subject and version. */
    public record Reference(String name, String subject, int version) {
    }

    /**
     * Registers a schema under {@code subject} through the Confluent-compatible API, as a producer's
     * serializer would, and returns the id records carry in their header.
     *
     * @param schemaType AVRO, PROTOBUF or JSON
     */
    public int register(String subject, String schemaType, String schema, Reference... references) {
        ObjectNode body = JSON.createObjectNode().put("schema", schema).put("schemaType", schemaType);
        ArrayNode refs = body.putArray("references");
        for (Reference reference : references) {
            refs.addObject().put("name", reference.name()).put("subject", reference.subject()).put("version", reference.version());
        }
        URI uri = URI.create(ccompatUrl() + "/subjects/" + URLEncoder.encode(subject, StandardCharsets.UTF_8) + "/versions");
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri)
                            .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                            .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("registering " + subject + " answered " + response.statusCode() + ": " + response.body());
            }
            return JSON.readTree(response.body()).path("id").asInt();
        } catch (IOException e) {
            throw new UncheckedIOException("registering " + subject + " at " + uri + " failed; the registry's log ends:\n"
                    + logTail(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The version number the registry gave the latest schema of {@code subject}. */
    public int latestVersion(String subject) {
        URI uri = URI.create(ccompatUrl() + "/subjects/" + URLEncoder.encode(subject, StandardCharsets.UTF_8) + "/versions/latest");
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).build(),
                    HttpResponse.BodyHandlers.ofString());
            return JSON.readTree(response.body()).path("version").asInt();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Starts the server again after {@link #stop()}: same port, same stored schemas. */
    public synchronized void start() {
        if (process != null && process.isAlive()) {
            return;
        }
        List<String> command = new ArrayList<>(List.of(Java21.java().toString(),
                "-Xmx384m", "-XX:TieredStopAtLevel=1",
                "-Dquarkus.http.host=127.0.0.1", "-Dquarkus.http.port=" + httpPort,
                "-Dquarkus.management.host=127.0.0.1", "-Dquarkus.management.port=" + managementPort,
                "-Dapicurio.datasource.url=jdbc:h2:file:" + data.resolve("registry"),
                "-Dapicurio.datasource.jdbc.initial-size=2"));
        if (tls != null) {
            // The API on HTTPS alone (plain requests refused); readiness stays on the plain management port.
            command.addAll(List.of("-Dquarkus.http.ssl-port=" + httpPort, "-Dquarkus.http.port=0",
                    "-Dquarkus.http.insecure-requests=disabled",
                    "-Dquarkus.http.ssl.certificate.key-store-file=" + tls.keyStore(),
                    "-Dquarkus.http.ssl.certificate.key-store-file-type=PKCS12",
                    "-Dquarkus.http.ssl.certificate.key-store-password=" + tls.password()));
        }
        command.addAll(List.of("-jar", "quarkus-run.jar"));
        try {
            process = new ProcessBuilder(command)
                    .directory(home.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start Apicurio Registry from " + home, e);
        }
        awaitReady();
    }

    /** Stops the server (SIGTERM, then SIGKILL after 10 s): its port refuses connections until {@link #start()}. */
    public synchronized void stop() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    @Override
    public void close() {
        stop();
        try (Stream<Path> files = Files.walk(data)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // A temporary directory left behind is no reason to fail a test run.
        }
    }

    private void awaitReady() {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        URI ready = URI.create("http://127.0.0.1:" + managementPort + "/health/ready");
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Apicurio Registry exited with " + process.exitValue() + ":\n" + logTail());
            }
            try {
                HttpResponse<Void> response = http.send(HttpRequest.newBuilder(ready).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.discarding());
                // Ready on the management port, and the API answering on its own (over TLS when it has it).
                if (response.statusCode() == 200 && this.http.send(HttpRequest.newBuilder(URI.create(ccompatUrl()
                        + "/subjects")).timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding())
                        .statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // Not listening yet.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while Apicurio Registry started", e);
            }
            // Polling a process that tells no one when it is ready: a pause between polls, not a synchronisation.
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while Apicurio Registry started", e);
            }
        }
        stop();
        throw new IllegalStateException("Apicurio Registry not ready within " + READY_TIMEOUT + ":\n" + logTail());
    }

    private String logTail() {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
