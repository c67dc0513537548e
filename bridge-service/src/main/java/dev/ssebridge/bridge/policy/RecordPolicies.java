package dev.ssebridge.bridge.policy;

import dev.ssebridge.bridge.channel.Channel;
import dev.ssebridge.bridge.channel.ChannelFamily;
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
 * The record policy of every channel and family of topics that has one, compiled when the application starts: a
 * policy that does not compile stops it, with the channel and the position named. A family's policy is its members':
 * one instance, whose scopes tell members apart by their path parameter. Hands a connection its scopes, one per
 * channel of its stream that has a policy.
 */
public final class RecordPolicies {

    /** The variables a policy may use: see {@link RecordPolicy}. */
    static final List<String> VARIABLES = List.of("record", "value", "claims", "params");

    private final Map<String, RecordPolicy> byName = new HashMap<>();

    /**
     * @param channelSources a channel's policy expression by its name, or null when it has none
     * @param familySources  a family's, likewise
     * @throws IllegalArgumentException naming the channel or family and where its policy goes wrong
     */
    RecordPolicies(Channels channels, Function<String, String> channelSources,
                   Function<String, String> familySources) {
        CelExpressions expressions = new CelExpressions(VARIABLES);
        for (String channel : channels.names()) {
            compile(expressions, "bridge.channels.", channel, channelSources.apply(channel));
        }
        for (ChannelFamily family : channels.families()) {
            compile(expressions, "bridge.families.", family.name(), familySources.apply(family.name()));
        }
    }

    private void compile(CelExpressions expressions, String prefix, String name, String source) {
        if (source == null || source.isBlank()) {
            return;
        }
        try {
            byName.put(name, new RecordPolicy(name, expressions.compile(source)));
        } catch (ExpressionSyntaxException e) {
            throw new IllegalArgumentException(prefix + name + ".policy does not compile: " + e.problem()
                    + " (at position " + e.position() + ", counting from 0, in: " + source + ")", e);
        }
    }

    /** The policy of {@code channel} (a member's is its family's), or null when every client granted it sees all. */
    public RecordPolicy of(Channel channel) {
        return byName.get(channel.configName());
    }

    public Collection<RecordPolicy> all() {
        return byName.values();
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
                RecordPolicy policy = of(channel);
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
            RecordPolicy policy = of(channel);
            if (policy != null) {
                policy.keyOf(claims, Map.of());
            }
        }
    }

    public void release(Map<Channel, PolicyScope> scopes) {
        scopes.values().forEach(scope -> scope.policy().release(scope));
    }
}
