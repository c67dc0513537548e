package dev.ssebridge.bridge.support;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A self-signed certificate for {@code localhost} in a PKCS#12 keystore, made once per test JVM by the JDK's own
 * {@code keytool}: the bridge serves TLS with it, and test clients trust exactly it.
 */
public final class SelfSignedKeystore {

    public static final String PASSWORD = "changeit";
    private static Path keystore;

    private SelfSignedKeystore() {
    }

    /** The keystore file. */
    public static synchronized Path path() {
        if (keystore == null) {
            try {
                Path file = Files.createTempDirectory("ssebridge-tls").resolve("bridge.p12");
                Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                        "-genkeypair", "-alias", "bridge", "-keyalg", "EC", "-groupname", "secp256r1",
                        "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "2",
                        "-storetype", "PKCS12", "-keystore", file.toString(), "-storepass", PASSWORD,
                        "-keypass", PASSWORD).inheritIO().start();
                if (!keytool.waitFor(60, TimeUnit.SECONDS) || keytool.exitValue() != 0) {
                    throw new IllegalStateException("keytool failed");
                }
                keystore = file;
            } catch (IOException e) {
                throw new IllegalStateException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        return keystore;
    }

    /** {@code server.ssl.*} settings that make a bridge serve TLS with this certificate. */
    public static Map<String, Object> serverSettings() {
        return Map.of("server.ssl.key-store", path().toString(),
                "server.ssl.key-store-password", PASSWORD,
                "server.ssl.key-store-type", "PKCS12");
    }

    /** A TLS context that trusts this certificate only. */
    public static SSLContext clientContext() {
        try (InputStream in = Files.newInputStream(path())) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, PASSWORD.toCharArray());
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
