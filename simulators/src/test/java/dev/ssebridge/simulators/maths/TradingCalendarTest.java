package dev.ssebridge.simulators.maths;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class TradingCalendarTest {

    @Test
    void fridayIsFollowedByMonday() {
        assertThat(TradingCalendar.next(LocalDate.of(2024, 6, 14))).isEqualTo(LocalDate.of(2024, 6, 17));
    }

    @Test
    void weekendsRollForward() {
        assertThat(TradingCalendar.onOrAfter(LocalDate.of(2024, 6, 15))).isEqualTo(LocalDate.of(2024, 6, 17));
        assertThat(TradingCalendar.onOrAfter(LocalDate.of(2024, 6, 13))).isEqualTo(LocalDate.of(2024, 6, 13));
    }
}
