package dev.ssebridge.simulators.portfolio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.ssebridge.schemas.DashboardUpdate;
import dev.ssebridge.simulators.Emission;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PortfolioSimulationTest {

    @Test
    void figuresAgreeWithPositionsAndOrdersOfTheSameTick() {
        PortfolioSimulation simulation = new PortfolioSimulation(new SplittableRandom(5), 2);
        int positionChecks = 0;
        int orderChecks = 0;
        for (int t = 0; t < 3_000; t++) {
            List<Emission> emissions = simulation.tick();
            for (String portfolio : List.of("portfolio-001", "portfolio-002")) {
                List<DashboardUpdate> updates = emissions.stream()
                        .filter(e -> e.key().equals(portfolio))
                        .map(e -> (DashboardUpdate) e.payload())
                        .toList();
                var metrics = (DashboardUpdate.PortfolioMetrics) updates.get(0).data();
                assertThat(updates.get(0).updateType()).isEqualTo(DashboardUpdate.UpdateType.METRICS);
                assertThat(metrics.totalValue()).isPositive();
                for (DashboardUpdate update : updates.subList(1, updates.size())) {
                    if (update.data() instanceof DashboardUpdate.Positions positions) {
                        assertThat(positions.positions()).hasSize(metrics.positionsCount());
                        positions.positions().forEach(p ->
                                {
                                    assertThat(p.quantity()).isPositive();
                                    assertThat(p.marketValue()).isCloseTo(p.quantity() * p.price(), within(0.01 * p.quantity()));
                                });
                        positionChecks++;
                    }
                    if (update.data() instanceof DashboardUpdate.Orders orders) {
                        assertThat(orders.orders().stream().filter(o -> o.status().equals("open")).count())
                                .isEqualTo(metrics.openOrders());
                        orderChecks++;
                    }
                }
            }
        }
        assertThat(positionChecks).isGreaterThan(100);
        assertThat(orderChecks).isGreaterThan(100);
    }

    @Test
    void dailyReturnResetsAtEachSimulatedDay() {
        PortfolioSimulation simulation = new PortfolioSimulation(new SplittableRandom(9), 1);
        // Bar 0 opens day one: its return is measured from the value just before the first move.
        double first = ((DashboardUpdate.PortfolioMetrics) ((DashboardUpdate) simulation.tick().get(0).payload()).data())
                .dailyReturn();
        assertThat(Math.abs(first)).isLessThan(0.02);
        for (int t = 1; t < 78; t++) {
            simulation.tick();
        }
        // Bar 78 opens day two: the day's return restarts from that bar's value before it moves.
        var nextDay = (DashboardUpdate.PortfolioMetrics) ((DashboardUpdate) simulation.tick().get(0).payload()).data();
        assertThat(Math.abs(nextDay.dailyReturn())).isLessThan(0.02);
    }
}
