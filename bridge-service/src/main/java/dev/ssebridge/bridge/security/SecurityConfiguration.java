package dev.ssebridge.bridge.security;

import dev.ssebridge.bridge.config.BridgeProperties.Access;
import dev.ssebridge.bridge.config.BridgeProperties.SecurityProperties;
import dev.ssebridge.bridge.config.BridgeProperties;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.web.reactive.EnableWebFluxSecurity;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.NimbusReactiveJwtDecoder;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.context.NoOpServerSecurityContextRepository;
import org.springframework.security.web.server.firewall.ServerExchangeRejectedHandler;
import org.springframework.security.web.server.savedrequest.NoOpServerRequestCache;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.reactive.CorsConfigurationSource;
import org.springframework.web.cors.reactive.UrlBasedCorsConfigurationSource;
import reactor.core.publisher.Mono;

/**
 * One security chain for both modes. Without {@code bridge.security.enabled} everything is open (the
 * demo); with it, the SSE, history and status endpoints need a valid JWT, and each family has its rule.
 * CORS applies in both modes. Stateless: no session, no saved request, no CSRF (the API only reads).
 */
@Configuration(proxyBeanMethods = false)
@EnableWebFluxSecurity
class SecurityConfiguration {

    /** Authority of a token carrying the admin grant. */
    static final String ADMIN = "bridge:admin";

    @Bean
    ChannelAccess channelAccess(BridgeProperties properties) {
        return new ChannelAccess(properties.security());
    }

    @Bean
    StreamAuthentication streamAuthentication(BridgeProperties properties, ChannelAccess channelAccess) {
        return new StreamAuthentication(properties.security(), channelAccess);
    }

    @Bean
    StreamSecurityHeaders streamSecurityHeaders(BridgeProperties properties) {
        return new StreamSecurityHeaders(corsConfiguration(properties.cors()));
    }

    /**
     * No observation per security filter: for a stream they would stay open, with their wrappers, as long
     * as the stream, at a cost of kilobytes per idle connection (measured with the idle benchmark).
     */
    @Bean
    SecurityObservationSettings securityObservationSettings() {
        return SecurityObservationSettings.noObservations();
    }

    /** Spring Security's firewall refusals as problem+json (the chain configuration picks this bean up). */
    @Bean
    ServerExchangeRejectedHandler rejectedRequestProblems() {
        return new RejectedRequestProblems();
    }

    @Bean
    RedactingAccessLog redactingAccessLog(BridgeProperties properties) {
        return new RedactingAccessLog(properties.accessLog());
    }

    @Bean
    SecurityWebFilterChain bridgeSecurity(ServerHttpSecurity http, BridgeProperties properties,
                                          ChannelAccess channelAccess, StreamAuthentication streamAuthentication) {
        SecurityProperties settings = properties.security();
        ProblemSecurityResponses problems = new ProblemSecurityResponses();
        http.csrf(ServerHttpSecurity.CsrfSpec::disable)
                .httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
                .formLogin(ServerHttpSecurity.FormLoginSpec::disable)
                .logout(ServerHttpSecurity.LogoutSpec::disable)
                .requestCache(cache -> cache.requestCache(NoOpServerRequestCache.getInstance()))
                .securityContextRepository(NoOpServerSecurityContextRepository.getInstance())
                .cors(cors -> cors.configurationSource(corsSource(properties.cors())))
                .exceptionHandling(e -> e.authenticationEntryPoint(problems).accessDeniedHandler(problems));
        if (!settings.enabled()) {
            return http.authorizeExchange(e -> e.anyExchange().permitAll()).build();
        }
        http.oauth2ResourceServer(oauth -> oauth
                .bearerTokenConverter(new TokenResolver(settings.cookieName()))
                .authenticationEntryPoint(problems)
                .accessDeniedHandler(problems)
                .jwt(jwt -> jwt.jwtDecoder(streamAuthentication.decoder())
                        .jwtAuthenticationConverter(token -> Mono.just(
                                StreamAuthentication.authentication(token, channelAccess)))));
        http.authorizeExchange(e -> {
            e.pathMatchers("/actuator/health", "/actuator/health/**").permitAll();
            rule(e.pathMatchers("/actuator/**"), settings.actuatorAccess());
            rule(e.pathMatchers("/api/v1/sse/status"), settings.statusAccess());
            rule(e.pathMatchers("/api/v1/sse/history/**"), settings.historyAccess());
            rule(e.pathMatchers("/v3/api-docs", "/v3/api-docs/**", "/swagger-ui.html", "/swagger-ui/**", "/asyncapi.json"),
                    settings.docsAccess());
            e.pathMatchers("/api/**").authenticated();
            // The dashboard page and its scripts hold no data; the streams they open are checked.
            e.anyExchange().permitAll();
        });
        return http.build();
    }

    private static void rule(ServerHttpSecurity.AuthorizeExchangeSpec.Access access, Access rule) {
        switch (rule) {
            case PUBLIC -> access.permitAll();
            // CHANNEL (history): authenticated here, the channel is checked by the controller.
            case AUTHENTICATED, CHANNEL -> access.authenticated();
            case ADMIN -> access.hasAuthority(ADMIN);
        }
    }

    static ReactiveJwtDecoder decoder(SecurityProperties settings) {
        NimbusReactiveJwtDecoder decoder;
        String issuer = settings.issuer();
        if (settings.hmacSecret() != null && !settings.hmacSecret().isBlank()) {
            MacAlgorithm algorithm = MacAlgorithm.from(settings.hmacAlgorithm());
            byte[] secret = settings.hmacSecret().getBytes(StandardCharsets.UTF_8);
            decoder = NimbusReactiveJwtDecoder.withSecretKey(new SecretKeySpec(secret, algorithm.getName()))
                    .macAlgorithm(algorithm).build();
        } else if (settings.jwkSetUri() != null) {
            decoder = NimbusReactiveJwtDecoder.withJwkSetUri(settings.jwkSetUri().toString()).build();
        } else {
            decoder = NimbusReactiveJwtDecoder.withIssuerLocation(settings.issuerUri()).build();
            if (issuer == null) {
                issuer = settings.issuerUri();
            }
        }
        List<OAuth2TokenValidator<Jwt>> validators = new ArrayList<>();
        validators.add(new JwtTimestampValidator(settings.clockSkew()));
        // A token must say when it ends: a stream is ended at its expiry.
        validators.add(new JwtClaimValidator<Object>("exp", exp -> exp != null));
        if (issuer != null) {
            validators.add(new JwtIssuerValidator(issuer));
        }
        if (settings.audience() != null) {
            String audience = settings.audience();
            validators.add(new JwtClaimValidator<List<String>>("aud", aud -> aud != null && aud.contains(audience)));
        }
        decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(validators));
        return decoder;
    }

    static CorsConfigurationSource corsSource(BridgeProperties.CorsProperties cors) {
        UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
        source.registerCorsConfiguration("/**", corsConfiguration(cors));
        return source;
    }

    static CorsConfiguration corsConfiguration(BridgeProperties.CorsProperties cors) {
        CorsConfiguration config = new CorsConfiguration();
        // Patterns: "*" and "https://*.example.com" work, with credentials too.
        config.setAllowedOriginPatterns(cors.allowedOrigins());
        config.setAllowedMethods(cors.allowedMethods());
        config.setAllowedHeaders(cors.allowedHeaders());
        config.setAllowCredentials(cors.allowCredentials());
        config.setMaxAge(cors.maxAge());
        return config;
    }
}
