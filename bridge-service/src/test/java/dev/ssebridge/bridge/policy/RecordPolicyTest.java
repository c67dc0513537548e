package dev.ssebridge.bridge.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ssebridge.bridge.channel.Channel;
import dev.ssebridge.bridge.channel.ChannelFamily;
import dev.ssebridge.bridge.channel.ChannelTag;
import dev.ssebridge.bridge.channel.Channels;
import dev.ssebridge.bridge.hub.ChannelEvent;
import dev.ssebridge.bridge.support.ChannelBuilder;
import dev.ssebridge.bridge.support.EventBuilder;
import dev.ssebridge.bridge.support.RecordBuilder;
import dev.ssebridge.bridge.support.StateEntryBuilder;
import dev.ssebridge.bridge.where.EventValue;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RecordPolicyTest {

    private static final Channel DASHBOARD = ChannelBuilder.named("dashboard");
    private static final Channel ALERTS = ChannelBuilder.named("alerts");
    private static final Channel TRAINING = ChannelBuilder.named("training");

    private static RecordPolicies policies(Map<Channel, String> sources) {
        Map<String, String> byName = new HashMap<>();
        sources.forEach((channel, source) -> byName.put(channel.name(), source));
        return new RecordPolicies(new Channels(List.of(DASHBOARD, ALERTS, TRAINING), List.of()), byName::get,
                family -> null, family -> null);
    }

    private static RecordPolicy policy(String source) {
        return policies(Map.of(DASHBOARD, source)).of(DASHBOARD);
    }

    @Test
    void aPolicyKnowsWhichClaimsItReadsAndScopesAreSharedByThoseAlone() {
        RecordPolicy policy = policy("record.key in claims.portfolios && (has(claims.desk) || claims[\"team\"] == 'x')");
        assertThat(policy.claimsRead()).containsExactly("desk", "portfolios", "team");

        PolicyScope a = policy.acquire(Map.of("portfolios", List.of("p1"), "sub", "alice", "exp", Instant.now()), Map.of());
        PolicyScope b = policy.acquire(Map.of("portfolios", List.of("p1"), "sub", "bob"), Map.of());
        PolicyScope c = policy.acquire(Map.of("portfolios", List.of("p2")), Map.of());
        assertThat(a).as("the claims the policy does not read do not split a scope").isSameAs(b);
        assertThat(c).isNotSameAs(a);
        assertThat(policy.scopes()).isEqualTo(2);
        policy.release(a);
        policy.release(b);
        assertThat(policy.scopes()).as("a scope nobody holds goes").isEqualTo(1);

        assertThat(policy("claims.portfolios.size() > 0 && claims == claims").claimsRead()).as("claims used whole")
                .isNull();
    }

    @Test
    void aRecordReachesAScopeOnlyWhereThePolicyHoldsOnEveryWayItLeaves() {
        RecordPolicy policy = policy("record.key in claims.portfolios && value.team == claims.team");
        PolicyScope scope = policy.acquire(Map.of("portfolios", List.of("p1", "p2"), "team", "blue"), Map.of());
        byte[] blue = "{\"team\":\"blue\"}".getBytes(StandardCharsets.UTF_8);
        byte[] red = "{\"team\":\"red\"}".getBytes(StandardCharsets.UTF_8);

        assertThat(scope.allows(event(0, "p1", blue))).isTrue();
        assertThat(scope.allows(event(1, "p3", blue))).as("a key outside the claim").isFalse();
        assertThat(scope.allows(event(2, "p1", red))).as("a value outside the claim").isFalse();
        assertThat(scope.allows(RecordBuilder.record(DASHBOARD, 0, 3).key("p2").body(blue).build())).isTrue();
        assertThat(scope.allows(RecordBuilder.record(DASHBOARD, 0, 4).key("p2").body(red).build())).isFalse();
        assertThat(scope.allows(StateEntryBuilder.entry(0, 5, "p2").value(EventValue.ofJson(blue)).build())).isTrue();
        assertThat(scope.allows(StateEntryBuilder.entry(0, 6, "p9").value(EventValue.ofJson(blue)).build())).isFalse();
    }

    @Test
    void aRecordIsEvaluatedOncePerScopeWhateverTheNumberOfConnections() {
        RecordPolicy policy = policy("record.key in claims.portfolios");
        PolicyScope shared = policy.acquire(Map.of("portfolios", List.of("p1")), Map.of());
        for (int i = 0; i < 1_000; i++) {
            assertThat(policy.acquire(Map.of("portfolios", List.of("p1")), Map.of())).isSameAs(shared);
        }
        List<ChannelEvent> events = List.of(event(0, "p1", null), event(1, "p2", null), event(2, "p1", null));
        for (int connection = 0; connection < 1_000; connection++) {
            for (ChannelEvent event : events) {
                shared.allows(event);
            }
        }
        assertThat(policy.evaluations()).isEqualTo(3);
    }

    @Test
    void aPolicyFailsClosedAndCountsWhy() {
        RecordPolicy policy = policy("value.progress > claims.min");
        PolicyScope scope = policy.acquire(Map.of("min", 10), Map.of());
        assertThat(scope.allows(event(0, "k", "{\"progress\":5}".getBytes(StandardCharsets.UTF_8)))).isFalse();
        assertThat(scope.allows(event(1, "k", "{\"progress\":50}".getBytes(StandardCharsets.UTF_8)))).isTrue();
        assertThat(scope.allows(event(2, "k", "{\"other\":50}".getBytes(StandardCharsets.UTF_8))))
                .as("a field the value lacks").isFalse();
        assertThat(scope.allows(event(3, "k", null))).as("a tombstone has no value").isFalse();
        assertThat(policy.failures(RecordPolicy.Failure.EVALUATION_ERROR)).isEqualTo(2);
        assertThat(policy.denied()).isEqualTo(3);

        RecordPolicy notBoolean = policy("claims.flag");
        PolicyScope flagged = notBoolean.acquire(Map.of("flag", "yes"), Map.of());
        assertThat(flagged.allows(event(0, "k", null))).isFalse();
        assertThat(notBoolean.failures(RecordPolicy.Failure.NOT_BOOLEAN)).isEqualTo(1);
    }

    @Test
    void aPolicyReadsHeadersOnlyWhereItSaysSo() {
        RecordPolicy byHeader = policy("record.headers['tenant'] == claims.tenant");
        assertThat(byHeader.readsHeaders()).isTrue();
        assertThat(policy("record.key == claims.sub").readsHeaders()).isFalse();
        PolicyScope scope = byHeader.acquire(Map.of("tenant", "acme"), Map.of());
        assertThat(scope.allows(EventBuilder.event(DASHBOARD, 0, 1).headers(Map.of("tenant", "acme")).build())).isTrue();
        assertThat(scope.allows(EventBuilder.event(DASHBOARD, 0, 2).headers(Map.of("tenant", "other")).build())).isFalse();
    }

    @Test
    void claimsBeyondTheBoundsAreRefusedNamingTheClaimNotItsValue() {
        RecordPolicy policy = policy("record.key in claims.portfolios");
        List<String> many = Collections.nCopies(ClaimValues.MAX_ELEMENTS + 1, "p");
        assertThatThrownBy(() -> policy.acquire(Map.of("portfolios", many), Map.of()))
                .isInstanceOf(InvalidClaimsException.class).hasMessageContaining("'portfolios'")
                .hasMessageContaining("more than 1024 elements");
        Object deep = "leaf";
        for (int i = 0; i <= ClaimValues.MAX_DEPTH; i++) {
            deep = List.of(deep);
        }
        Object tooDeep = deep;
        assertThatThrownBy(() -> policy.acquire(Map.of("portfolios", tooDeep), Map.of()))
                .isInstanceOf(InvalidClaimsException.class).hasMessageContaining("deeper than");
        assertThat(policy.scopes()).isZero();
    }

    @Test
    void aPolicyThatDoesNotCompileStopsTheBridgeNamingTheChannelAndWhere() {
        assertThatThrownBy(() -> policies(Map.of(ALERTS, "record.key in claims.portfolios &&")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bridge.channels.alerts.policy")
                .hasMessageContaining("position");
        assertThatThrownBy(() -> policies(Map.of(ALERTS, "record.key in claims.portfolios + ['x']")))
                .as("the same limits as where: no concatenation").isInstanceOf(IllegalArgumentException.class);
        assertThat(policies(Map.of(TRAINING, "true")).of(ALERTS)).as("no policy: none").isNull();
    }

    @Test
    void aFamilysPolicyIsEveryMembersAndItsScopesTellMembersApartByTheirPathValue() {
        ChannelFamily family = new ChannelFamily("backtests", "bt.", "", "strategy",
                java.util.regex.Pattern.compile("[a-z]+"), "backtest_progress", null, ChannelTag.of("backtests"));
        RecordPolicies policies = new RecordPolicies(new Channels(List.of(DASHBOARD), List.of(family)), name -> null,
                Map.of("backtests", "params.strategy in claims.strategies")::get, name -> null);
        Channel momentum = family.member("momentum").orElseThrow();
        Channel carry = family.member("carry").orElseThrow();
        RecordPolicy policy = policies.of(momentum);
        assertThat(policy).isNotNull().isSameAs(policies.of(carry));
        assertThat(policy.name()).isEqualTo("backtests");
        assertThat(policies.of(DASHBOARD)).isNull();

        Map<String, Object> claims = Map.of("strategies", List.of("momentum"));
        Map<Channel, PolicyScope> onMomentum = policies.acquire(List.of(momentum), claims, Map.of("strategy", "momentum"));
        Map<Channel, PolicyScope> onCarry = policies.acquire(List.of(carry), claims, Map.of("strategy", "carry"));
        ChannelEvent record = EventBuilder.event(momentum, 0, 0).key("k").value(EventValue.ofJson("{}".getBytes(
                StandardCharsets.UTF_8))).build();
        assertThat(onMomentum.get(momentum).allows(record)).isTrue();
        assertThat(onCarry.get(carry)).isNotSameAs(onMomentum.get(momentum));
        assertThat(onCarry.get(carry).allows(record)).as("carry is not among the caller's strategies").isFalse();

        assertThatThrownBy(() -> new RecordPolicies(new Channels(List.of(), List.of(family)), name -> null,
                Map.of("backtests", "params.strategy in")::get, name -> null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bridge.families.backtests.policy")
                .hasMessageContaining("position");
    }

    @Test
    void aFamilysAccessRuleDecidesWhoMayOpenATopicFromClaimsAndParamsAndFailsClosed() {
        ChannelFamily family = new ChannelFamily("backtests", "bt.", "", "strategy",
                java.util.regex.Pattern.compile("[a-z]+"), "backtest_progress", null, ChannelTag.of("backtests"));
        RecordPolicies policies = new RecordPolicies(new Channels(List.of(DASHBOARD), List.of(family)), name -> null,
                name -> null, Map.of("backtests", "params.strategy in claims.strategies")::get);
        Channel momentum = family.member("momentum").orElseThrow();
        Map<String, String> params = Map.of("strategy", "momentum");
        assertThat(policies.refusedMember(List.of(momentum), Map.of("strategies", List.of("momentum")), params))
                .isNull();
        assertThat(policies.refusedMember(List.of(momentum), Map.of("strategies", List.of("carry")), params))
                .isEqualTo(momentum);
        assertThat(policies.refusedMember(List.of(momentum), Map.of(), params)).as("no such claim: fails closed")
                .isEqualTo(momentum);
        assertThat(policies.refusedMember(List.of(DASHBOARD), Map.of(), Map.of())).as("not a member").isNull();
        assertThatThrownBy(() -> new RecordPolicies(new Channels(List.of(), List.of(family)), name -> null,
                name -> null, Map.of("backtests", "record.key == 'x'")::get))
                .as("no record before a stream opens").isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bridge.families.backtests.access");
    }

    private static ChannelEvent event(long offset, String key, byte[] value) {
        return EventBuilder.event(DASHBOARD, 0, offset).key(key)
                .value(value == null ? EventValue.ABSENT : EventValue.ofJson(value)).build();
    }

}
