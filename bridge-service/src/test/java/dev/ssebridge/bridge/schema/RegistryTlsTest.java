package dev.ssebridge.bridge.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.ssebridge.bridge.config.SchemaRegistrySettings;
import java.io.FileInputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Kafka-style ssl.* keys against an HTTPS server whose certificate only the given trust store trusts. */
class RegistryTlsTest {

    @TempDir
    static Path dir;
    static Path serverStore;
    static Path trustStore;

    @BeforeAll
    static void makeStoresWithKeytool() throws Exception {
        serverStore = dir.resolve("server.p12");
        trustStore = dir.resolve("trust.p12");
        Path cert = dir.resolve("server.crt");
        keytool("-genkeypair", "-alias", "registry", "-keyalg", "EC", "-dname", "CN=registry", "-ext", "san=ip:127.0.0.1",
                "-validity", "2", "-storetype", "PKCS12", "-keystore", serverStore.toString(), "-storepass", "serverpass");
        keytool("-exportcert", "-alias", "registry", "-keystore", serverStore.toString(), "-storepass", "serverpass", "-file", cert.toString());
        keytool("-importcert", "-noprompt", "-alias", "registry", "-file", cert.toString(), "-storetype", "PKCS12",
                "-keystore", trustStore.toString(), "-storepass", "trustpass");
    }

    @Test
    void aTrustStoreFromTheSslKeysLetsTheClientReachAnHttpsRegistry() throws Exception {
        HttpsServer server = httpsServer();
        try {
            String url = "https://127.0.0.1:" + server.getAddress().getPort();
            SchemaRegistryClient trusting = client(url, Map.of("ssl.truststore.location", trustStore.toString(),
                    "ssl.truststore.password", "trustpass", "ssl.truststore.type", "PKCS12"));
            SchemaRegistryClient defaultTrust = client(url, Map.of());

            assertThat(trusting.byId(1).schema()).isEqualTo("\"int\"");
            assertThatThrownBy(() -> defaultTrust.byId(1)).isInstanceOf(RegistryUnavailableException.class)
                    .hasMessageContaining("SSLHandshakeException");
        } finally {
            server.stop(0);
        }
    }

    @Test
    void aWrongStorePasswordNamesTheKeyButNotThePassword() {
        assertThatThrownBy(() -> RegistryTls.context(Map.of("truststore.location", trustStore.toString(), "truststore.password", "wrong-one")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("bridge.schema-registry.ssl.truststore.location: cannot read " + trustStore)
                .hasMessageNotContaining("wrong-one");
    }

    private static SchemaRegistryClient client(String url, Map<String, String> ssl) {
        return new SchemaRegistryClient(new SchemaRegistrySettings(List.of(URI.create(url)), null, null, ssl,
                Duration.ofSeconds(2), Duration.ofSeconds(5), null));
    }

    private static HttpsServer httpsServer() throws Exception {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (FileInputStream in = new FileInputStream(serverStore.toFile())) {
            keys.load(in, "serverpass".toCharArray());
        }
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(keys, "serverpass".toCharArray());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keyManagers.getKeyManagers(), null, null);
        HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(context));
        server.createContext("/schemas/ids/1", exchange -> {
            byte[] body = "{\"schema\":\"\\\"int\\\"\"}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        return server;
    }

    private static void keytool(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
    }
}
