package dev.ssebridge.bridge.where;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ParsedValuesTest {

    @Test
    void aParsedValueCountsInEveryHolderUntilEachLetsItGo() {
        EventValue value = value("{\"task_id\":\"t-1\",\"progress\":42.5,\"tags\":[\"a\",\"b\"]}");
        ParsedValues ring = new ParsedValues();
        ParsedValues state = new ParsedValues();
        value.heldBy(ring);
        assertThat(ring.bytes()).as("nothing parsed, nothing held").isZero();

        value.tree(); // a where filter reads it
        long size = value.treeBytes();
        assertThat(size).isPositive();
        assertThat(ring.bytes()).isEqualTo(size);

        value.heldBy(state); // taken after it was parsed: counted at once
        assertThat(state.bytes()).isEqualTo(size);

        value.releasedBy(ring);
        assertThat(ring.bytes()).isZero();
        assertThat(state.bytes()).isEqualTo(size);
        value.releasedBy(ring); // twice: nothing more
        assertThat(ring.bytes()).isZero();
        value.releasedBy(state);
        assertThat(state.bytes()).isZero();

        value.tree(); // parsed once: reading again charges nothing
        assertThat(ring.bytes()).isZero();
    }

    @Test
    void aTombstoneHoldsNothingAndAValueHasTwoHoldersAtMost() {
        ParsedValues ring = new ParsedValues();
        EventValue.ABSENT.heldBy(ring);
        EventValue.ABSENT.tree();
        assertThat(ring.bytes()).isZero();

        EventValue value = value("{}");
        value.heldBy(ring);
        value.heldBy(new ParsedValues());
        assertThatThrownBy(() -> value.heldBy(new ParsedValues())).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void theEstimateGrowsWithWhatTheValueHolds() {
        long small = estimate("{\"a\":\"x\"}");
        long longString = estimate("{\"a\":\"" + "x".repeat(1000) + "\"}");
        long manyFields = estimate("{" + "\"f%d\":1,".repeat(100).formatted(range(100)) + "\"z\":2}");
        assertThat(small).isBetween(100L, 400L);
        assertThat(longString - small).as("999 more characters").isBetween(992L, 1_010L);
        assertThat(manyFields).isGreaterThan(101 * (32 + 16)); // a node and a boxed number per field at least
        assertThat(estimate("[1,2,3]")).isGreaterThan(estimate("[]"));
        assertThat(estimate("true")).isZero(); // shared
    }

    private static Object[] range(int n) {
        Object[] values = new Object[n];
        for (int i = 0; i < n; i++) {
            values[i] = i;
        }
        return values;
    }

    private static long estimate(String json) {
        EventValue value = value(json);
        value.tree();
        return value.treeBytes();
    }

    private static EventValue value(String json) {
        return EventValue.ofJson(json.getBytes(StandardCharsets.UTF_8));
    }
}
