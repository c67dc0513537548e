package dev.ssebridge.bridge.config;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * How to reach a schema registry that speaks the Confluent API (Confluent Schema Registry, Apicurio's
 * {@code /apis/ccompat/v7}, Karapace, Redpanda). A plain record, validated when made, so it can be nested
 * in the bridge's {@code @ConfigurationProperties} and a bad setting stops start-up naming the key.
 *
 * @param urls           API roots, tried in order: the next one when a registry does not answer
 * @param userInfo       {@code user:password} for HTTP basic auth, or null
 * @param bearerToken    a token sent as {@code Authorization: Bearer}, or null; not together with userInfo
 * @param ssl            Kafka-style TLS keys, with or without the {@code ssl.} prefix:
 *                       {@code truststore.location/password/type}, {@code keystore.location/password/type},
 *                       {@code key.password}; types JKS or PKCS12 (the default). Empty: the JDK's trust store
 * @param connectTimeout TCP and TLS connect timeout per URL; default 5 s
 * @param requestTimeout time for one registry answer; default 10 s
 * @param cacheSize      parsed schemas kept by id; default 1000. Schemas are immutable by id, so a hit never
 *                       goes stale; the bound only caps memory when ids churn
 */
public record SchemaRegistrySettings(
        List<URI> urls,
        String userInfo,
        String bearerToken,
        Map<String, String> ssl,
        Duration connectTimeout,
        Duration requestTimeout,
        Integer cacheSize) {

    public static final String PREFIX = "bridge.schema-registry";

    private static final Set<String> SSL_KEYS = Set.of(
            "truststore.location", "truststore.password", "truststore.type",
            "keystore.location", "keystore.password", "keystore.type", "key.password");

    public SchemaRegistrySettings {
        if (urls == null || urls.isEmpty()) {
            throw invalid("urls", "at least one registry URL is needed");
        }
        urls = urls.stream().map(SchemaRegistrySettings::apiRoot).toList();
        userInfo = blankToNull(userInfo);
        bearerToken = blankToNull(bearerToken);
        if (userInfo != null && userInfo.indexOf(':') < 0) {
            throw invalid("user-info", "must be user:password");
        }
        if (userInfo != null && bearerToken != null) {
            throw invalid("bearer-token", "set user-info or bearer-token, not both");
        }
        ssl = normalisedSsl(ssl);
        connectTimeout = positive("connect-timeout", connectTimeout, Duration.ofSeconds(5));
        requestTimeout = positive("request-timeout", requestTimeout, Duration.ofSeconds(10));
        if (cacheSize == null) {
            cacheSize = 1000;
        } else if (cacheSize < 1) {
            throw invalid("cache-size", "must be at least 1, not " + cacheSize);
        }
    }

    /** Settings with the defaults for everything but the URLs. */
    public static SchemaRegistrySettings of(String... urls) {
        return new SchemaRegistrySettings(List.of(urls).stream().map(URI::create).toList(), null, null, null, null, null, null);
    }

    /** Secrets (the password of user-info, the token, key store passwords) are left out. */
    @Override
    public String toString() {
        Map<String, String> shownSsl = new TreeMap<>(ssl);
        shownSsl.replaceAll((key, value) -> key.endsWith("password") ? "[hidden]" : value);
        return "SchemaRegistrySettings[urls=" + urls
                + ", userInfo=" + (userInfo == null ? "none" : userInfo.substring(0, userInfo.indexOf(':')) + ":[hidden]")
                + ", bearerToken=" + (bearerToken == null ? "none" : "[hidden]")
                + ", ssl=" + shownSsl
                + ", connectTimeout=" + connectTimeout + ", requestTimeout=" + requestTimeout
                + ", cacheSize=" + cacheSize + "]";
    }

    private static URI apiRoot(URI url) {
        if (url == null || !url.isAbsolute() || url.getHost() == null
                || !("http".equals(url.getScheme()) || "https".equals(url.getScheme()))) {
            throw invalid("urls", "'" + url + "' is not an http(s) URL with a host");
        }
        if (url.getUserInfo() != null) {
            throw invalid("urls", "put credentials in user-info, not in the URL");
        }
        String text = url.toString();
        // The API paths are appended to the root: keep exactly one slash between them.
        return URI.create(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
    }

    private static Map<String, String> normalisedSsl(Map<String, String> ssl) {
        Map<String, String> out = new TreeMap<>();
        if (ssl != null) {
            ssl.forEach((key, value) -> {
                String name = key.startsWith("ssl.") ? key.substring(4) : key;
                if (!SSL_KEYS.contains(name)) {
                    throw invalid("ssl." + name, "unknown TLS key; known: "
                            + SSL_KEYS.stream().map(k -> "ssl." + k).sorted().toList());
                }
                if (value != null && !value.isBlank()) {
                    out.put(name, value.trim());
                }
            });
        }
        for (String store : List.of("truststore", "keystore")) {
            String type = out.get(store + ".type");
            if (type != null && !type.equalsIgnoreCase("PKCS12") && !type.equalsIgnoreCase("JKS")) {
                throw invalid("ssl." + store + ".type", "must be PKCS12 or JKS, not " + type);
            }
            if (out.containsKey(store + ".password") && !out.containsKey(store + ".location")) {
                throw invalid("ssl." + store + ".location", "a " + store + " password is set without a location");
            }
        }
        return Map.copyOf(out);
    }

    private static Duration positive(String key, Duration value, Duration fallback) {
        if (value == null) {
            return fallback;
        }
        if (value.isNegative() || value.isZero()) {
            throw invalid(key, "must be positive, not " + value);
        }
        return value;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    private static IllegalArgumentException invalid(String key, String problem) {
        return new IllegalArgumentException(PREFIX + "." + key + ": " + problem);
    }
}
