package dev.ssebridge.bridge.policy;

import dev.ssebridge.bridge.channel.Channel;
import dev.ssebridge.bridge.channel.Channels;
import dev.ssebridge.bridge.where.CelExpressions;
import dev.ssebridge.bridge.where.ExpressionSyntaxException;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The record policy of every channel that has one, compiled when the application starts: a policy that does not
 * compile stops it, with the channel and the position named. Hands a connection its scopes, one per channel of its
 * stream that has a policy.
 */
public final class RecordPolicies {

    /** The variables a policy may use: see {@link RecordPolicy}. */
    static final List<String> VARIABLES = List.of("record", "value", "claims", "params");

    private final Map<Channel, RecordPolicy> byChannel = new HashMap<>();

    /**
     * @param sources a channel's policy expression, or null when it has none
     * @throws IllegalArgumentException naming the channel and where its policy goes wrong
     */
    RecordPolicies(Channels channels, Function<Channel, String> sources) {
        CelExpressions expressions = new CelExpressions(VARIABLES);
        for (Channel channel : channels.all()) {
            String source = sources.apply(channel);
            if (source == null || source.isBlank()) {
                continue;
            }
            try {
                byChannel.put(channel, new RecordPolicy(channel, expressions.compile(source)));
            } catch (ExpressionSyntaxException e) {
                throw new IllegalArgumentException("bridge.channels." + channel.name() + ".policy does not compile: "
                        + e.problem() + " (at position " + e.position() + ", counting from 0, in: " + source + ")", e);
            }
        }
    }

    /** The policy of {@code channel}, or null when every client granted the channel sees all of it. */
    public RecordPolicy of(Channel channel) {
        return byChannel.get(channel);
    }

    public Collection<RecordPolicy> all() {
        return byChannel.values();
    }

    /**
     * The scopes of a stream of {@code channels} for a caller with these claims and path parameters: one per channel
     * that has a policy (none for the others); {@link #release} them when the stream ends.
     *
     * @throws InvalidClaimsException when a claim a policy reads is beyond the bounds (nothing is kept then)
     */
    public Map<Channel, PolicyScope> acquire(List<Channel> channels, Map<String, Object> claims,
                                             Map<String, String> params) {
        Map<Channel, PolicyScope> scopes = new LinkedHashMap<>();
        try {
            for (Channel channel : channels) {
                RecordPolicy policy = byChannel.get(channel);
                if (policy != null) {
                    scopes.put(channel, policy.acquire(claims, params));
                }
            }
        } catch (InvalidClaimsException e) {
            release(scopes);
            throw e;
        }
        return scopes;
    }

    /**
     * Checks, before a stream opens, that the claims its channels' policies read can be evaluated.
     *
     * @throws InvalidClaimsException naming the first claim beyond the bounds
     */
    public void check(List<Channel> channels, Map<String, Object> claims) {
        for (Channel channel : channels) {
            RecordPolicy policy = byChannel.get(channel);
            if (policy != null) {
                policy.keyOf(claims, Map.of());
            }
        }
    }

    public void release(Map<Channel, PolicyScope> scopes) {
        scopes.values().forEach(scope -> scope.policy().release(scope));
    }
}
