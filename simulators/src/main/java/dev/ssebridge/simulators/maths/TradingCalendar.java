package dev.ssebridge.simulators.maths;

import java.time.DayOfWeek;
import java.time.LocalDate;

/** Trading days: Monday to Friday (exchange holidays are not modelled). */
public final class TradingCalendar {

    private TradingCalendar() {
    }

    public static boolean isTradingDay(LocalDate date) {
        DayOfWeek day = date.getDayOfWeek();
        return day != DayOfWeek.SATURDAY && day != DayOfWeek.SUNDAY;
    }

    /** The first trading day after {@code date}. */
    public static LocalDate next(LocalDate date) {
        LocalDate next = date.plusDays(1);
        while (!isTradingDay(next)) {
            next = next.plusDays(1);
        }
        return next;
    }

    /** {@code date} if it is a trading day, else the next one. */
    public static LocalDate onOrAfter(LocalDate date) {
        return isTradingDay(date) ? date : next(date);
    }
}
