package dev.ssebridge.simulators.risk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ssebridge.schemas.Severity;
import org.junit.jupiter.api.Test;

class LimitMonitorTest {

    @Test
    void severityIsGradedByHowFarTheLimitIsExceeded() {
        assertThat(LimitMonitor.grade(1.01)).isEqualTo(Severity.LOW);
        assertThat(LimitMonitor.grade(1.25)).isEqualTo(Severity.MEDIUM);
        assertThat(LimitMonitor.grade(1.49)).isEqualTo(Severity.MEDIUM);
        assertThat(LimitMonitor.grade(1.5)).isEqualTo(Severity.HIGH);
        assertThat(LimitMonitor.grade(2.0)).isEqualTo(Severity.CRITICAL);
    }

    @Test
    void aLastingBreachAlertsOnceAndAgainOnlyWhenItWorsens() {
        LimitMonitor monitor = new LimitMonitor(0.05);

        assertThat(monitor.check(0.04)).isEmpty();
        assertThat(monitor.check(0.055)).contains(Severity.LOW);
        assertThat(monitor.check(0.058)).isEmpty();
        assertThat(monitor.check(0.051)).isEmpty();
        assertThat(monitor.check(0.08)).contains(Severity.HIGH);
        assertThat(monitor.check(0.07)).isEmpty();
        assertThat(monitor.check(0.11)).contains(Severity.CRITICAL);
        assertThat(monitor.check(0.12)).isEmpty();
    }

    @Test
    void itReArmsOnlyOnceClearlyBackWithinTheLimit() {
        LimitMonitor monitor = new LimitMonitor(0.05);
        assertThat(monitor.check(0.06)).contains(Severity.LOW);

        assertThat(monitor.check(0.048)).isEmpty(); // within the limit, not clearly
        assertThat(monitor.check(0.052)).isEmpty(); // so no new alert
        assertThat(monitor.check(0.044)).isEmpty(); // below 90 %: re-armed
        assertThat(monitor.check(0.052)).contains(Severity.LOW);
    }
}
