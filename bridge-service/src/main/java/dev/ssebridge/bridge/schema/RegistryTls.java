package dev.ssebridge.bridge.schema;

import dev.ssebridge.bridge.config.SchemaRegistrySettings;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The TLS context for the registry client, from the Kafka-style keys of {@link SchemaRegistrySettings#ssl()}:
 * a trust store for a registry whose certificate the JDK does not trust, a key store for mutual TLS.
 * Host names are always verified (the JDK's HTTP client offers no per-client switch, and there should be none).
 */
final class RegistryTls {

    private RegistryTls() {
    }

    /** The JDK's default context when no key is set. */
    static SSLContext context(Map<String, String> ssl) {
        try {
            if (ssl.isEmpty()) {
                return SSLContext.getDefault();
            }
            TrustManagerFactory trust = null;
            KeyStore trustStore = load(ssl, "truststore");
            if (trustStore != null) {
                trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                trust.init(trustStore);
            }
            KeyManagerFactory keys = null;
            KeyStore keyStore = load(ssl, "keystore");
            if (keyStore != null) {
                keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                String keyPassword = ssl.getOrDefault("key.password", ssl.getOrDefault("keystore.password", ""));
                keys.init(keyStore, keyPassword.toCharArray());
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys == null ? null : keys.getKeyManagers(), trust == null ? null : trust.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(SchemaRegistrySettings.PREFIX + ".ssl: " + e.getMessage(), e);
        }
    }

    private static KeyStore load(Map<String, String> ssl, String store) throws GeneralSecurityException {
        String location = ssl.get(store + ".location");
        if (location == null) {
            return null;
        }
        String key = SchemaRegistrySettings.PREFIX + ".ssl." + store;
        KeyStore keyStore = KeyStore.getInstance(ssl.getOrDefault(store + ".type", "PKCS12").toUpperCase(Locale.ROOT));
        String password = ssl.get(store + ".password");
        try (InputStream in = Files.newInputStream(Path.of(location))) {
            keyStore.load(in, password == null ? null : password.toCharArray());
        } catch (IOException e) {
            // Wrong password and unreadable file both land here; the message never contains the password.
            throw new IllegalArgumentException(key + ".location: cannot read " + location + ": " + e.getMessage(), e);
        }
        return keyStore;
    }
}
