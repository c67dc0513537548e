package dev.ssebridge.bridge.request;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ssebridge.bridge.channel.Channel;
import dev.ssebridge.bridge.channel.Channels;
import dev.ssebridge.bridge.connection.StreamFilter;
import dev.ssebridge.bridge.support.ChannelBuilder;
import dev.ssebridge.bridge.support.EventBuilder;
import dev.ssebridge.bridge.where.EventValue;
import dev.ssebridge.bridge.where.WhereCompiler;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;

class FilterRequestsTest {

    private static final Channel TRAINING = ChannelBuilder.channel("training").topic("t")
            .eventName("training_progress").keyParameter("task_id").build();
    private static final Channel ALERTS = ChannelBuilder.channel("alerts").topic("a")
            .eventName("risk_alert").keyParameter("entity_id").severityField("severity").build();
    private final FilterRequests requests = new FilterRequests(new Channels(List.of(TRAINING, ALERTS), List.of()), new WhereCompiler());

    @Test
    void noFilterAcceptsEverything() {
        StreamFilter filter = requests.parse(List.of(TRAINING, ALERTS), query());
        assertThat(accepts(filter, TRAINING, null, -1, EventValue.ABSENT)).isTrue();
        assertThat(accepts(filter, ALERTS, "x", -1, EventValue.ABSENT)).isTrue();
        assertThat(filter).as("one shared instance, checked without lookups").isSameAs(StreamFilter.NONE);
    }

    @Test
    void keyAppliesToEveryChannelAndTakesListsInEitherForm() {
        StreamFilter filter = requests.parse(List.of(TRAINING, ALERTS), query("key", "a,b", "key", "c"));
        assertThat(accepts(filter, TRAINING, "a", -1, EventValue.ABSENT)).isTrue();
        assertThat(accepts(filter, ALERTS, "c", -1, EventValue.ABSENT)).isTrue();
        assertThat(accepts(filter, ALERTS, "d", -1, EventValue.ABSENT)).isFalse();
        assertThat(accepts(filter, TRAINING, null, -1, EventValue.ABSENT)).isFalse();
        Channel sameTraining = ChannelBuilder.channel("training").topic("t")
                .eventName("training_progress").keyParameter("task_id").build();
        assertThat(accepts(filter, sameTraining, "d", -1, EventValue.ABSENT)).as("an equal channel, another instance").isFalse();
        assertThat(accepts(filter, sameTraining, "b", -1, EventValue.ABSENT)).isTrue();
    }

    @Test
    void aChannelsOwnKeyParameterFiltersOnlyThatChannelAndCombinesWithKeyByAnd() {
        StreamFilter own = requests.parse(List.of(TRAINING, ALERTS), query("task_id", "t1"));
        assertThat(accepts(own, TRAINING, "t1", -1, EventValue.ABSENT)).isTrue();
        assertThat(accepts(own, TRAINING, "t2", -1, EventValue.ABSENT)).isFalse();
        assertThat(accepts(own, ALERTS, "t2", -1, EventValue.ABSENT)).isTrue();

        StreamFilter both = requests.parse(List.of(TRAINING), query("task_id", "t1,t2", "key", "t2"));
        assertThat(accepts(both, TRAINING, "t2", -1, EventValue.ABSENT)).isTrue();
        assertThat(accepts(both, TRAINING, "t1", -1, EventValue.ABSENT)).isFalse();
    }

    @Test
    void minSeverityKeepsThatSeverityAndAbove() {
        StreamFilter filter = requests.parse(List.of(TRAINING, ALERTS), query("min_severity", "high"));
        assertThat(accepts(filter, ALERTS, "p", 1, EventValue.ABSENT)).isFalse();
        assertThat(accepts(filter, ALERTS, "p", 2, EventValue.ABSENT)).isTrue();
        assertThat(accepts(filter, ALERTS, "p", 3, EventValue.ABSENT)).isTrue();
        assertThat(accepts(filter, ALERTS, "p", -1, EventValue.ABSENT)).isFalse();
        assertThat(accepts(filter, TRAINING, "t", -1, EventValue.ABSENT)).as("channels without severity are unaffected").isTrue();
    }

    @Test
    void invalidFiltersNameTheParameter() {
        expectBad(List.of(TRAINING, ALERTS), query("min_severity", "urgent"), "min_severity");
        expectBad(List.of(TRAINING, ALERTS), query("min_severity", "low", "min_severity", "high"), "min_severity");
        expectBad(List.of(TRAINING), query("min_severity", "low"), "min_severity");
        expectBad(List.of(ALERTS), query("task_id", "t1"), "task_id");
        expectBad(List.of(TRAINING), query("key", "has space"), "key");
        expectBad(List.of(TRAINING), query("key", ""), "key");
        expectBad(List.of(TRAINING), query("key", "x".repeat(257)), "key");
        expectBad(List.of(TRAINING), query("key", "k,".repeat(100) + "k"), "key");
        expectBad(List.of(TRAINING), query("task_id", "<script>"), "task_id");
    }

    @Test
    void whereFiltersOnTheValueAndLetsTombstonesThrough() {
        StreamFilter filter = requests.parse(List.of(TRAINING), query("where", "data.progress >= 50 && data.status == 'running'"));
        assertThat(accepts(filter, TRAINING, "t", -1, value("{\"progress\":60,\"status\":\"running\"}"))).isTrue();
        assertThat(accepts(filter, TRAINING, "t", -1, value("{\"progress\":40,\"status\":\"running\"}"))).isFalse();
        assertThat(accepts(filter, TRAINING, "t", -1, value("{\"status\":\"running\"}"))).as("a missing field").isFalse();
        assertThat(accepts(filter, TRAINING, "t", -1, EventValue.ABSENT)).as("a tombstone ends the key for every client")
                .isTrue();
    }

    @Test
    void aBadWhereIsA400NamingTheParameterAndThePosition() {
        assertThatThrownBy(() -> requests.parse(List.of(TRAINING), query("where", "data.progress >= ")))
                .isInstanceOfSatisfying(InvalidParameterException.class, e -> {
                    assertThat(e.parameter()).isEqualTo("where");
                    assertThat(e.position()).isEqualTo(17);
                    assertThat(e.getMessage()).contains("position 17");
                });
        expectBad(List.of(TRAINING), query("where", "data.x == 1", "where", "data.y == 2"), "where");
        expectBad(List.of(TRAINING), query("where", " "), "where");
        expectBad(List.of(TRAINING), query("where", "data.name + 'x' == 'ax'"), "where");
        expectBad(List.of(TRAINING), query("where", "x".repeat(1025)), "where");
    }

    private static EventValue value(String json) {
        return EventValue.ofJson(json.getBytes(StandardCharsets.UTF_8));
    }

    private void expectBad(List<Channel> stream, MultiValueMap<String, String> query, String parameter) {
        assertThatThrownBy(() -> requests.parse(stream, query))
                .isInstanceOfSatisfying(InvalidParameterException.class, e -> assertThat(e.parameter()).isEqualTo(parameter));
    }

    private static MultiValueMap<String, String> query(String... pairs) {
        MultiValueMap<String, String> query = new LinkedMultiValueMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            query.add(pairs[i], pairs[i + 1]);
        }
        return query;
    }

    /** Whether {@code filter} lets an event of {@code channel} with this key, severity and value through. */
    private static boolean accepts(StreamFilter filter, Channel channel, String key, int severity, EventValue value) {
        return filter.accepts(EventBuilder.event(channel, 0, 0).key(key).severity(severity).value(value).build());
    }
}
