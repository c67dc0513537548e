package dev.ssebridge.bridge.admission;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ssebridge.bridge.config.BridgeProperties.AdmissionProperties;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AdmissionControlTest {

    private static AdmissionProperties limits(int total, int perAddress, int rate, int burst) {
        return new AdmissionProperties(total, perAddress, rate, burst, null, 32, 4096, Duration.ofSeconds(10), Duration.ofSeconds(60), 0, 0, 64, 0);
    }

    @Test
    void totalLimitAdmitsExactlyNAndFreesOnClose() {
        AdmissionControl control = new AdmissionControl(limits(3, 100, 100, 100));
        List<AdmissionControl.Permit> permits = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            AdmissionControl.Decision d = control.admit("10.0.0." + i);
            assertThat(d.refusal()).isNull();
            permits.add(d.permit());
        }
        AdmissionControl.Decision fourth = control.admit("10.0.0.9");
        assertThat(fourth.permit()).isNull();
        assertThat(fourth.refusal().reason()).isEqualTo("total");
        permits.get(0).close();
        permits.get(0).close(); // twice frees once
        assertThat(control.open()).isEqualTo(2);
        assertThat(control.admit("10.0.0.9").permit()).isNotNull();
        assertThat(control.admit("10.0.0.10").refusal().reason()).isEqualTo("total");
    }

    @Test
    void perAddressLimitLeavesOtherAddressesAlone() {
        AdmissionControl control = new AdmissionControl(limits(100, 2, 100, 100));
        AdmissionControl.Permit a1 = control.admit("a").permit();
        assertThat(control.admit("a").permit()).isNotNull();
        assertThat(control.admit("a").refusal().reason()).isEqualTo("address");
        assertThat(control.admit("b").permit()).isNotNull();
        a1.close();
        assertThat(control.admit("a").permit()).isNotNull();
        assertThat(control.open()).isEqualTo(3);
    }

    @Test
    void rateRefusesBeyondTheBurstAndSaysWhenToRetry() {
        AdmissionControl control = new AdmissionControl(limits(100, 100, 1, 3));
        for (int i = 0; i < 3; i++) {
            control.admit("a").permit().close();
        }
        AdmissionControl.Decision refused = control.admit("a");
        assertThat(refused.refusal().reason()).isEqualTo("rate");
        assertThat(refused.refusal().retryAfterSeconds()).isBetween(1L, 2L);
        assertThat(control.admit("b").permit()).isNotNull();
        assertThat(control.open()).isEqualTo(1);
    }
}
