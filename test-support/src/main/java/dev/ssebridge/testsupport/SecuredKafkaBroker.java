package dev.ssebridge.testsupport;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * A single-node Kafka (KRaft) in this process whose client listeners are secured as production ones are: mutual TLS
 * ({@link #mtlsBootstrapServers()}), SCRAM-SHA-512 over TLS ({@link #scramBootstrapServers()}) and SASL OAUTHBEARER
 * with tokens from an identity provider ({@link #oauthBootstrapServers()}, {@link OAuthTokenServer}; connections
 * re-authenticate every {@link #OAUTH_REAUTHENTICATION}), beside a PLAINTEXT listener for the test's own admin client
 * and producer ({@link #bootstrapServers()}). The test kit's broker ({@link InProcessKafkaBroker}) knows only
 * PLAINTEXT and SASL_PLAINTEXT.
 *
 * <p>Certificates are self-signed and made by the JDK's {@code keytool}: the broker's for {@code localhost} and
 * 127.0.0.1, the client's for {@code CN=bridge}; the broker trusts exactly the client's, the client exactly the
 * broker's.
 */
public final class SecuredKafkaBroker implements KafkaBroker {

    /** The SCRAM-SHA-512 user the broker knows, and its password. */
    public static final String SCRAM_USER = "bridge";
    public static final String SCRAM_PASSWORD = "bridge-scram-secret";
    /** How often the OAUTHBEARER listener makes a connection log in again (with its client's current token). */
    public static final Duration OAUTH_REAUTHENTICATION = Duration.ofSeconds(2);
    /** How long the identity provider's tokens live. */
    public static final Duration OAUTH_TOKEN_LIFETIME = Duration.ofSeconds(5);
    /**
     * Kafka 4 reads OAuth URLs only from this JVM-wide allow-list (a system property, default empty): the broker's
     * JWKS URL and its clients' token endpoint must be on it.
     */
    public static final String ALLOWED_URLS_PROPERTY = "org.apache.kafka.sasl.oauthbearer.allowed.urls";
    /** The password of every keystore and truststore here. */
    public static final String STORE_PASSWORD = "changeit-" + Long.toHexString(System.nanoTime());

    private final KafkaRaftServer server;
    private final Path dir;
    private final OAuthTokenServer tokens;
    private final String plain;
    private final String mtls;
    private final String scram;
    private final String oauth;

    private SecuredKafkaBroker(KafkaRaftServer server, Path dir, OAuthTokenServer tokens, String[] listeners) {
        this.server = server;
        this.dir = dir;
        this.tokens = tokens;
        this.plain = listeners[0];
        this.mtls = listeners[1];
        this.scram = listeners[2];
        this.oauth = listeners[3];
    }

    /** Starts the broker (a second time on fresh ports if one was taken meanwhile) and creates the SCRAM user. */
    public static SecuredKafkaBroker start() {
        Path dir;
        try {
            dir = Files.createTempDirectory("ssebridge-secured-kafka-");
            makeCertificates(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        OAuthTokenServer tokens = OAuthTokenServer.start(OAUTH_TOKEN_LIFETIME);
        System.setProperty(ALLOWED_URLS_PROPERTY, tokens.tokenUrl() + "," + tokens.jwksUrl());
        RuntimeException failure = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            try {
                SecuredKafkaBroker broker = startOn(dir, tokens, freePorts(5));
                try {
                    broker.createScramUser(SCRAM_USER, SCRAM_PASSWORD);
                } catch (RuntimeException e) {
                    broker.server.shutdown();
                    broker.server.awaitShutdown();
                    throw e;
                }
                return broker;
            } catch (RuntimeException e) {
                failure = e;
            }
        }
        tokens.close();
        delete(dir);
        throw failure;
    }

    private static SecuredKafkaBroker startOn(Path dir, OAuthTokenServer tokens, int[] ports) {
        Path logs = dir.resolve("logs-" + ports[0]);
        String host = "127.0.0.1";
        Properties props = new Properties();
        props.put("process.roles", "broker,controller");
        props.put("node.id", "1");
        String[] listeners = new String[4];
        for (int i = 0; i < listeners.length; i++) {
            listeners[i] = host + ":" + ports[i];
        }
        String advertised = "PLAINTEXT://" + listeners[0] + ",MTLS://" + listeners[1] + ",SCRAM://" + listeners[2]
                + ",OAUTH://" + listeners[3];
        props.put("listeners", advertised + ",CONTROLLER://" + host + ":" + ports[4]);
        props.put("advertised.listeners", advertised);
        props.put("listener.security.protocol.map",
                "PLAINTEXT:PLAINTEXT,MTLS:SSL,SCRAM:SASL_SSL,OAUTH:SASL_PLAINTEXT,CONTROLLER:PLAINTEXT");
        props.put("controller.listener.names", "CONTROLLER");
        props.put("inter.broker.listener.name", "PLAINTEXT");
        props.put("controller.quorum.voters", "1@" + host + ":" + ports[4]);
        props.put("ssl.keystore.type", "PKCS12");
        props.put("ssl.keystore.location", dir.resolve("broker.p12").toString());
        props.put("ssl.keystore.password", STORE_PASSWORD);
        props.put("ssl.key.password", STORE_PASSWORD);
        props.put("ssl.truststore.type", "PKCS12");
        props.put("ssl.truststore.location", dir.resolve("broker-trust.p12").toString());
        props.put("ssl.truststore.password", STORE_PASSWORD);
        props.put("listener.name.mtls.ssl.client.auth", "required");
        props.put("sasl.enabled.mechanisms", "SCRAM-SHA-512");
        props.put("listener.name.scram.scram-sha-512.sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required;");
        props.put("listener.name.oauth.sasl.enabled.mechanisms", "OAUTHBEARER");
        props.put("listener.name.oauth.oauthbearer.sasl.jaas.config",
                "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required;");
        props.put("listener.name.oauth.oauthbearer.sasl.server.callback.handler.class",
                "org.apache.kafka.common.security.oauthbearer.OAuthBearerValidatorCallbackHandler");
        props.put("listener.name.oauth.oauthbearer.connections.max.reauth.ms",
                String.valueOf(OAUTH_REAUTHENTICATION.toMillis()));
        props.put("sasl.oauthbearer.jwks.endpoint.url", tokens.jwksUrl());
        props.put("sasl.oauthbearer.expected.audience", OAuthTokenServer.AUDIENCE);
        props.put("log.dirs", logs.toString());
        props.put("num.partitions", "1");
        props.put("offsets.topic.replication.factor", "1");
        props.put("transaction.state.log.replication.factor", "1");
        props.put("transaction.state.log.min.isr", "1");
        props.put("group.initial.rebalance.delay.ms", "0");
        props.put("auto.create.topics.enable", "false");
        // The default 128 MiB cleaner buffer would be heap in this JVM; tests need a few MiB at most.
        props.put("log.cleaner.dedupe.buffer.size", String.valueOf(4 * 1024 * 1024));
        KafkaRaftServer server = null;
        try {
            new Formatter()
                    .setClusterId(Uuid.randomUuid().toString())
                    .setNodeId(1)
                    .setDirectories(List.of(logs.toString()))
                    .setMetadataLogDirectory(logs.toString())
                    .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                    .setControllerListenerName("CONTROLLER")
                    .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                    .run();
            server = new KafkaRaftServer(KafkaConfig.fromProps(props), Time.SYSTEM);
            server.startup();
            return new SecuredKafkaBroker(server, dir, tokens, listeners);
        } catch (Exception e) {
            if (server != null) {
                server.shutdown();
                server.awaitShutdown();
            }
            throw new IllegalStateException("the secured broker did not start on ports " + java.util.Arrays.toString(ports), e);
        }
    }

    /** Creates (or changes) a SCRAM-SHA-512 user, as an operator does with {@code kafka-configs}. */
    public void createScramUser(String user, String password) {
        try (Admin admin = Admin.create(adminClientProperties())) {
            admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(user,
                    new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096), password)))
                    .all().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("could not create the SCRAM user " + user, e);
        }
    }

    /** The PLAINTEXT listener: for the test's admin client and producer, not for the bridge under test. */
    @Override
    public String bootstrapServers() {
        return plain;
    }

    /** The listener that requires a client certificate (SSL, {@code ssl.client.auth=required}). */
    public String mtlsBootstrapServers() {
        return mtls;
    }

    /** The SASL_SSL listener with SCRAM-SHA-512. */
    public String scramBootstrapServers() {
        return scram;
    }

    /** The SASL_PLAINTEXT listener with OAUTHBEARER (tokens of {@link #tokens()}). */
    public String oauthBootstrapServers() {
        return oauth;
    }

    /** The identity provider whose tokens the OAUTHBEARER listener accepts. */
    public OAuthTokenServer tokens() {
        return tokens;
    }

    /**
     * {@code bridge.kafka.*} settings for the mutual-TLS listener, as an operator writes them: the truststore that
     * holds the broker's certificate and, when {@code withClientCertificate}, the keystore with the client's.
     */
    public Map<String, Object> mtlsBridgeSettings(boolean withClientCertificate) {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("bridge.kafka.bootstrap-servers", mtls);
        settings.put("bridge.kafka.properties.security.protocol", "SSL");
        settings.putAll(truststore());
        if (withClientCertificate) {
            settings.put("bridge.kafka.properties.ssl.keystore.type", "PKCS12");
            settings.put("bridge.kafka.properties.ssl.keystore.location", dir.resolve("client.p12").toString());
            settings.put("bridge.kafka.properties.ssl.keystore.password", STORE_PASSWORD);
            settings.put("bridge.kafka.properties.ssl.key.password", STORE_PASSWORD);
        }
        return settings;
    }

    /** {@code bridge.kafka.*} settings for the SCRAM-SHA-512 over TLS listener, as {@link #SCRAM_USER}. */
    public Map<String, Object> scramBridgeSettings(String password) {
        return scramBridgeSettings(SCRAM_USER, password);
    }

    /** {@code bridge.kafka.*} settings for the SCRAM-SHA-512 over TLS listener, as {@code user}. */
    public Map<String, Object> scramBridgeSettings(String user, String password) {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("bridge.kafka.bootstrap-servers", scram);
        settings.put("bridge.kafka.properties.security.protocol", "SASL_SSL");
        settings.put("bridge.kafka.properties.sasl.mechanism", "SCRAM-SHA-512");
        settings.put("bridge.kafka.properties.sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule "
                + "required username=\"" + user + "\" password=\"" + password + "\";");
        settings.putAll(truststore());
        return settings;
    }

    /**
     * {@code bridge.kafka.*} settings for the OAUTHBEARER listener, as an operator writes them: Kafka's OIDC login
     * (client credentials against the token endpoint), refreshing the token as it nears expiry. The JVM also needs
     * the token URL in {@link #ALLOWED_URLS_PROPERTY}, which {@link #start()} sets for this one.
     */
    public Map<String, Object> oauthBridgeSettings(String clientSecret) {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("bridge.kafka.bootstrap-servers", oauth);
        settings.put("bridge.kafka.properties.security.protocol", "SASL_PLAINTEXT");
        settings.put("bridge.kafka.properties.sasl.mechanism", "OAUTHBEARER");
        settings.put("bridge.kafka.properties.sasl.login.callback.handler.class",
                "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginCallbackHandler");
        settings.put("bridge.kafka.properties.sasl.oauthbearer.token.endpoint.url", tokens.tokenUrl());
        settings.put("bridge.kafka.properties.sasl.oauthbearer.client.credentials.client.id", OAuthTokenServer.CLIENT_ID);
        settings.put("bridge.kafka.properties.sasl.oauthbearer.client.credentials.client.secret", clientSecret);
        settings.put("bridge.kafka.properties.sasl.jaas.config",
                "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required;");
        // Tokens here live seconds, not the usual hour: refresh as soon as Kafka allows.
        settings.put("bridge.kafka.properties.sasl.login.refresh.min.period.seconds", "1");
        settings.put("bridge.kafka.properties.sasl.login.refresh.buffer.seconds", "1");
        return settings;
    }

    /**
     * The broker's certificate (for {@code localhost} and {@code 127.0.0.1}) and the trust store clients use for it:
     * for another server of the test to serve with, as a deployment's services share a CA.
     */
    public ApicurioRegistry.Tls serverCertificate() {
        return new ApicurioRegistry.Tls(dir.resolve("broker.p12"), dir.resolve("client-trust.p12"), STORE_PASSWORD);
    }

    private Map<String, Object> truststore() {
        return Map.of("bridge.kafka.properties.ssl.truststore.type", "PKCS12",
                "bridge.kafka.properties.ssl.truststore.location", dir.resolve("client-trust.p12").toString(),
                "bridge.kafka.properties.ssl.truststore.password", STORE_PASSWORD);
    }

    /**
     * Logins the broker refused (TLS handshakes and SASL) on its secured listeners since it started. Read over JMX (the
     * server keeps its broker private); the listener names are this broker's alone among the brokers of the JVM.
     */
    public long failedAuthentications() {
        MBeanServer beans = ManagementFactory.getPlatformMBeanServer();
        double failed = 0;
        try {
            for (String listener : List.of("MTLS", "SCRAM")) {
                // Per network processor; the listener's own bean (accept rates) has no such attribute.
                for (ObjectName name : beans.queryNames(new ObjectName(
                        "kafka.server:type=socket-server-metrics,listener=" + listener + ",networkProcessor=*"), null)) {
                    failed += ((Number) beans.getAttribute(name, "failed-authentication-total")).doubleValue();
                }
            }
        } catch (JMException e) {
            throw new IllegalStateException(e);
        }
        return Math.round(failed);
    }

    @Override
    public String kind() {
        return "in-process, TLS";
    }

    @Override
    public void close() {
        server.shutdown();
        server.awaitShutdown();
        tokens.close();
        delete(dir);
    }

    /** The broker's and the client's key pairs, and a truststore on each side holding the other's certificate. */
    private static void makeCertificates(Path dir) {
        keytool(dir, "-genkeypair", "-alias", "broker", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "2",
                "-storetype", "PKCS12", "-keystore", "broker.p12", "-storepass", STORE_PASSWORD, "-keypass", STORE_PASSWORD);
        keytool(dir, "-genkeypair", "-alias", "client", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=bridge", "-validity", "2",
                "-storetype", "PKCS12", "-keystore", "client.p12", "-storepass", STORE_PASSWORD, "-keypass", STORE_PASSWORD);
        keytool(dir, "-exportcert", "-alias", "broker", "-keystore", "broker.p12", "-storepass", STORE_PASSWORD,
                "-file", "broker.crt");
        keytool(dir, "-exportcert", "-alias", "client", "-keystore", "client.p12", "-storepass", STORE_PASSWORD,
                "-file", "client.crt");
        keytool(dir, "-importcert", "-noprompt", "-alias", "broker", "-file", "broker.crt",
                "-storetype", "PKCS12", "-keystore", "client-trust.p12", "-storepass", STORE_PASSWORD);
        keytool(dir, "-importcert", "-noprompt", "-alias", "client", "-file", "client.crt",
                "-storetype", "PKCS12", "-keystore", "broker-trust.p12", "-storepass", STORE_PASSWORD);
    }

    private static void keytool(Path dir, String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        try {
            Process keytool = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
            String output = new String(keytool.getInputStream().readAllBytes());
            if (!keytool.waitFor(60, TimeUnit.SECONDS) || keytool.exitValue() != 0) {
                throw new IllegalStateException("keytool " + args[0] + " failed: " + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static int[] freePorts(int count) {
        int[] ports = new int[count];
        List<ServerSocket> held = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                ServerSocket socket = new ServerSocket(0);
                held.add(socket);
                ports[i] = socket.getLocalPort();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            for (ServerSocket socket : held) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // closing anyway
                }
            }
        }
        return ports;
    }

    private static void delete(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // A temporary directory left behind is not worth failing the close for.
        }
    }
}
