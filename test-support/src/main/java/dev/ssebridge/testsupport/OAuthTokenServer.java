package dev.ssebridge.testsupport;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The two endpoints of an OAuth identity provider that Kafka's OIDC support uses: a token endpoint for the
 * client-credentials grant (the bridge's Kafka clients log in with what it hands out) and a JWKS endpoint (the broker
 * checks the tokens' signatures against it). Tokens are RS256 JWTs for audience {@link #AUDIENCE} that expire after
 * the lifetime given, so that a test sees clients refresh them.
 */
public final class OAuthTokenServer implements AutoCloseable {

    public static final String CLIENT_ID = "ssebridge";
    public static final String CLIENT_SECRET = "ssebridge-client-secret";
    public static final String AUDIENCE = "kafka";

    private final HttpServer server;
    private final RSAKey key;
    private final Duration lifetime;
    private final AtomicInteger issued = new AtomicInteger();
    private final AtomicInteger refused = new AtomicInteger();

    private OAuthTokenServer(HttpServer server, RSAKey key, Duration lifetime) {
        this.server = server;
        this.key = key;
        this.lifetime = lifetime;
    }

    /** Serves on an ephemeral port of 127.0.0.1; tokens live {@code lifetime}. */
    public static OAuthTokenServer start(Duration lifetime) {
        try {
            RSAKey key = new RSAKeyGenerator(2048).keyID(UUID.randomUUID().toString()).generate();
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            OAuthTokenServer tokens = new OAuthTokenServer(server, key, lifetime);
            server.createContext("/token", tokens::token);
            server.createContext("/jwks", tokens::jwks);
            server.start();
            return tokens;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    public String tokenUrl() {
        return base() + "/token";
    }

    public String jwksUrl() {
        return base() + "/jwks";
    }

    /** Tokens handed out so far. */
    public int issued() {
        return issued.get();
    }

    /** Token requests refused (wrong client credentials) so far. */
    public int refused() {
        return refused.get();
    }

    private String base() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void token(HttpExchange exchange) throws IOException {
        try (exchange) {
            exchange.getRequestBody().readAllBytes();
            String expected = "Basic " + Base64.getEncoder().encodeToString(
                    (CLIENT_ID + ":" + CLIENT_SECRET).getBytes(StandardCharsets.UTF_8));
            if (!"POST".equals(exchange.getRequestMethod())
                    || !expected.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                refused.incrementAndGet();
                respond(exchange, 401, "{\"error\":\"invalid_client\"}");
                return;
            }
            Instant now = Instant.now();
            JWTClaimsSet claims = new JWTClaimsSet.Builder()
                    .subject(CLIENT_ID)
                    .audience(AUDIENCE)
                    .issuer(base())
                    .issueTime(Date.from(now))
                    .expirationTime(Date.from(now.plus(lifetime)))
                    .claim("scope", "kafka")
                    .build();
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), claims);
            jwt.sign(new RSASSASigner(key));
            issued.incrementAndGet();
            respond(exchange, 200, "{\"access_token\":\"" + jwt.serialize() + "\",\"token_type\":\"Bearer\",\"expires_in\":"
                    + lifetime.toSeconds() + "}");
        } catch (JOSEException e) {
            throw new IOException(e);
        }
    }

    private void jwks(HttpExchange exchange) throws IOException {
        try (exchange) {
            respond(exchange, 200, new JWKSet(key.toPublicJWK()).toString());
        }
    }

    private static void respond(HttpExchange exchange, int status, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
