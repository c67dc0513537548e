package dev.ssebridge.bridge.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ChannelGrantsTest {

    @Test
    void scopeStringGrantsPrefixedChannelsOnly() {
        ChannelGrants grants = ChannelGrants.from("openid sse:training  sse:alerts profile", "sse:", "admin");
        assertThat(grants.channels()).isEqualTo(Set.of("training", "alerts"));
        assertThat(grants.grants("training")).isTrue();
        assertThat(grants.grants("dashboard")).isFalse();
        assertThat(grants.admin()).isFalse();
    }

    @Test
    void arrayClaimWithoutPrefix() {
        ChannelGrants grants = ChannelGrants.from(List.of("backtest", "dashboard", 42), "", "admin");
        assertThat(grants.channels()).isEqualTo(Set.of("backtest", "dashboard"));
    }

    @Test
    void wildcardAndAdminGrantEveryChannel() {
        assertThat(ChannelGrants.from("sse:*", "sse:", "admin").grants("anything")).isTrue();
        ChannelGrants admin = ChannelGrants.from("sse:admin", "sse:", "admin");
        assertThat(admin.admin()).isTrue();
        assertThat(admin.grants("alerts")).isTrue();
    }

    @Test
    void missingOrOddClaimGrantsNothing() {
        assertThat(ChannelGrants.from(null, "sse:", "admin")).isEqualTo(ChannelGrants.NONE);
        assertThat(ChannelGrants.from(7, "sse:", "admin")).isEqualTo(ChannelGrants.NONE);
        assertThat(ChannelGrants.from("", "sse:", "admin").grants("training")).isFalse();
        assertThat(ChannelGrants.from("sse:", "sse:", "admin").channels()).isEmpty();
        // A grant for another application that happens to end like a channel name is not ours.
        assertThat(ChannelGrants.from("other:training", "sse:", "admin").grants("training")).isFalse();
    }
}
