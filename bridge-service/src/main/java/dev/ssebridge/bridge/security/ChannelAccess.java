package dev.ssebridge.bridge.security;

import dev.ssebridge.bridge.channel.Channel;
import dev.ssebridge.bridge.config.BridgeProperties;
import java.util.List;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import reactor.core.publisher.Mono;

/**
 * Per-channel authorization, which the URL patterns of the security chain cannot express: a multiplexed
 * stream names its channels in a query parameter. The request has been authenticated by then.
 */
public final class ChannelAccess {

    private final BridgeProperties.SecurityProperties settings;

    ChannelAccess(BridgeProperties.SecurityProperties settings) {
        this.settings = settings;
    }

    /**
     * The grant for a stream of {@code channels}, or {@link ChannelForbiddenException} naming those the
     * token does not grant.
     */
    public Mono<StreamGrant> check(List<Channel> channels) {
        if (!settings.enabled()) {
            return Mono.just(StreamGrant.ANONYMOUS);
        }
        return token().map(jwt -> {
            ChannelGrants grants = grantsOf(jwt);
            // A family's members are granted by the family's name.
            List<String> denied = channels.stream().map(Channel::configName).filter(c -> !grants.grants(c)).distinct()
                    .toList();
            if (!denied.isEmpty()) {
                throw new ChannelForbiddenException(denied);
            }
            return new StreamGrant(jwt.getSubject() == null ? "" : jwt.getSubject(), jwt.getExpiresAt(), jwt.getClaims());
        });
    }

    /**
     * For the history API: the channel grant when history access is per channel, and the caller's claims (for the
     * channel's record policy) whatever the access rule.
     */
    public Mono<StreamGrant> checkHistory(Channel channel) {
        if (!settings.enabled()) {
            return Mono.just(StreamGrant.ANONYMOUS);
        }
        if (settings.historyAccess() == BridgeProperties.Access.CHANNEL) {
            return check(List.of(channel));
        }
        return ReactiveSecurityContextHolder.getContext()
                .map(SecurityContext::getAuthentication)
                .filter(JwtAuthenticationToken.class::isInstance)
                .map(auth -> {
                    Jwt jwt = ((JwtAuthenticationToken) auth).getToken();
                    return new StreamGrant(jwt.getSubject() == null ? "" : jwt.getSubject(), jwt.getExpiresAt(),
                            jwt.getClaims());
                })
                .defaultIfEmpty(StreamGrant.ANONYMOUS); // history-access public: no token, no claims
    }

    ChannelGrants grantsOf(Jwt jwt) {
        return ChannelGrants.from(jwt.getClaims().get(settings.channelsClaim()), settings.grantPrefix(),
                settings.adminGrant());
    }

    private static Mono<Jwt> token() {
        return ReactiveSecurityContextHolder.getContext()
                .map(SecurityContext::getAuthentication)
                .filter(JwtAuthenticationToken.class::isInstance)
                .map(auth -> ((JwtAuthenticationToken) auth).getToken())
                // The chain lets no unauthenticated request reach a stream when security is on.
                .switchIfEmpty(Mono.error(() -> new IllegalStateException("no authenticated token on a secured stream")));
    }
}
