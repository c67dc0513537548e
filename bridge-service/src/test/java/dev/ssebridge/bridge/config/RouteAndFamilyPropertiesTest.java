package dev.ssebridge.bridge.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Routes and families of topics refuse to start with a name, template or allow-list that cannot work. */
class RouteAndFamilyPropertiesTest {

    private static Set<String> violations(Map<String, String> settings) {
        return SettingsViolations.of(settings);
    }

    private static Map<String, String> family(String name, String topic, String allow) {
        return Map.of("bridge.families." + name + ".topic", topic,
                "bridge.families." + name + ".parameter", "strategy",
                "bridge.families." + name + ".allow", allow,
                "bridge.families." + name + ".event-name", "backtest_progress");
    }

    @Test
    void aFamilyWithAPlainNameATemplateHoldingItsParameterOnceAndARegexStarts() {
        assertThat(violations(family("backtests", "backtests.{strategy}", "[a-z]+"))).isEmpty();
        assertThat(violations(family("backtests", "{strategy}-results", ".*"))).isEmpty();
    }

    @Test
    void aFamilyNamedAsAChannelOrRouteOrWithABadTemplateOrAllowListDoesNot() {
        assertThat(violations(family("training", "bt.{strategy}", "[a-z]+"))).as("a channel's name")
                .anyMatch(v -> v.contains("family's name"));
        Map<String, String> routeToo = new HashMap<>(family("portfolios", "p.{strategy}", "[a-z]+"));
        routeToo.putAll(Map.of("bridge.routes.portfolios.channel", "training",
                "bridge.routes.portfolios.parameter", "portfolio"));
        assertThat(violations(routeToo)).as("a route's name").isNotEmpty();
        assertThat(violations(family("Backtests", "bt.{strategy}", "[a-z]+"))).isNotEmpty();
        assertThat(violations(family("backtests", "bt.{other}", "[a-z]+"))).as("no {strategy} in the topic")
                .anyMatch(v -> v.contains("{<parameter>} once"));
        assertThat(violations(family("backtests", "{strategy}.{strategy}", "[a-z]+"))).as("twice").isNotEmpty();
        assertThat(violations(family("backtests", "bt.{strategy}", "[a-z"))).as("not a regular expression")
                .anyMatch(v -> v.contains("allow must be a regular expression"));
        Map<String, String> unbounded = new HashMap<>(family("backtests", "bt.{strategy}", "[a-z]+"));
        unbounded.put("bridge.families.backtests.max-topics", "0");
        assertThat(violations(unbounded)).anyMatch(v -> v.contains("maxTopics"));
    }
}
