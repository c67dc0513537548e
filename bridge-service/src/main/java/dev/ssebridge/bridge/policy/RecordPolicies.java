package dev.ssebridge.bridge.policy;

import dev.cel.runtime.CelEvaluationException;
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
import java.util.Optional;
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

    /** The variables a family's access rule may use: no record, it is decided before any is read. */
    static final List<String> ACCESS_VARIABLES = List.of("claims", "params");

    private final Map<String, RecordPolicy> byName = new HashMap<>();
    private final Map<String, CelExpressions.Compiled> accessByFamily = new HashMap<>();

    /**
     * @param channelSources a channel's policy expression by its name, or null when it has none
     * @param familySources  a family's, likewise
     * @param familyAccess   a family's access rule by its name, or null when it has none
     * @throws IllegalArgumentException naming the channel or family and where its policy goes wrong
     */
    RecordPolicies(Channels channels, Function<String, String> channelSources,
                   Function<String, String> familySources, Function<String, String> familyAccess) {
        CelExpressions expressions = new CelExpressions(VARIABLES);
        CelExpressions accessExpressions = new CelExpressions(ACCESS_VARIABLES);
        for (String channel : channels.names()) {
            String source = channelSources.apply(channel);
            if (source != null && !source.isBlank()) {
                byName.put(channel, new RecordPolicy(channel, compile(expressions, "bridge.channels." + channel
                        + ".policy", source)));
            }
        }
        for (ChannelFamily family : channels.families()) {
            String source = familySources.apply(family.name());
            if (source != null && !source.isBlank()) {
                byName.put(family.name(), new RecordPolicy(family.name(), compile(expressions, "bridge.families."
                        + family.name() + ".policy", source)));
            }
            String access = familyAccess.apply(family.name());
            if (access != null && !access.isBlank()) {
                accessByFamily.put(family.name(), compile(accessExpressions, "bridge.families." + family.name()
                        + ".access", access));
            }
        }
    }

    private static CelExpressions.Compiled compile(CelExpressions expressions, String setting, String source) {
        try {
            return expressions.compile(source);
        } catch (ExpressionSyntaxException e) {
            throw new IllegalArgumentException(setting + " does not compile: " + e.problem() + " (at position "
                    + e.position() + ", counting from 0, in: " + source + ")", e);
        }
    }

    /**
     * The first family member of {@code stream} whose family's access rule does not hold for these claims and path
     * parameters, or null when every one may be opened. A rule that fails, or is not true, refuses (fail closed).
     *
     * @throws InvalidClaimsException when a claim is beyond the bounds
     */
    public Channel refusedMember(List<Channel> stream, Map<String, Object> claims, Map<String, String> params) {
        Map<String, Object> bounded = null; // the claims as CEL reads them, once, when a rule needs them
        for (Channel channel : stream) {
            CelExpressions.Compiled rule = channel.isMember() ? accessByFamily.get(channel.family()) : null;
            if (rule == null) {
                continue;
            }
            if (bounded == null) {
                bounded = ClaimValues.all(claims);
            }
            Map<String, Object> read = bounded;
            Object result;
            try {
                result = rule.program().eval(name -> switch (name) {
                    case "claims" -> Optional.of(read);
                    case "params" -> Optional.of(params);
                    default -> Optional.empty();
                });
            } catch (CelEvaluationException e) {
                return channel;
            }
            if (!Boolean.TRUE.equals(result)) {
                return channel;
            }
        }
        return null;
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
