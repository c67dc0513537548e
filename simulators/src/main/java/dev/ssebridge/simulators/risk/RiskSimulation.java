package dev.ssebridge.simulators.risk;

import dev.ssebridge.schemas.EventType;
import dev.ssebridge.schemas.RiskAlert;
import dev.ssebridge.schemas.Severity;
import dev.ssebridge.simulators.Emission;
import dev.ssebridge.simulators.Simulation;
import dev.ssebridge.simulators.maths.EquityCurve;
import dev.ssebridge.simulators.maths.Gaussian;
import dev.ssebridge.simulators.maths.HistoricalVar;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Risk checks of several portfolios, one trading day per tick. Each portfolio's daily returns switch
 * between a calm and a stressed volatility regime; they drive a rolling historical VaR(95) and the
 * drawdown of the portfolio's equity. Crossing a limit raises a {@code risk_alert} graded by how far the
 * limit is exceeded; see {@link LimitMonitor} for why a lasting breach does not repeat.
 */
public final class RiskSimulation implements Simulation {

    private static final double CALM_VOL = 0.12;
    private static final double STRESSED_VOL = 0.45;
    private static final double TO_STRESS = 0.04;
    private static final double TO_CALM = 0.10;

    private final SplittableRandom random;
    private final List<Portfolio> portfolios = new ArrayList<>();

    /**
     * @param portfolios    how many portfolios to watch
     * @param varWindow     returns in the VaR window
     * @param varLimit      daily VaR(95) limit, as a fraction
     * @param drawdownLimit drawdown limit, as a positive fraction
     */
    public RiskSimulation(SplittableRandom random, int portfolios, int varWindow, double varLimit, double drawdownLimit) {
        this.random = random;
        for (int i = 1; i <= portfolios; i++) {
            this.portfolios.add(new Portfolio(String.format("portfolio-%03d", i), varWindow, varLimit, drawdownLimit));
        }
    }

    @Override
    public EventType type() {
        return EventType.RISK_ALERT;
    }

    @Override
    public List<Emission> tick() {
        List<Emission> out = new ArrayList<>();
        for (Portfolio portfolio : portfolios) {
            portfolio.step(out);
        }
        return out;
    }

    private final class Portfolio {
        final String id;
        final HistoricalVar var;
        final EquityCurve equity = new EquityCurve(1);
        final LimitMonitor varMonitor;
        final LimitMonitor drawdownMonitor;
        boolean stressed;

        Portfolio(String id, int varWindow, double varLimit, double drawdownLimit) {
            this.id = id;
            this.var = new HistoricalVar(varWindow, 0.95);
            this.varMonitor = new LimitMonitor(varLimit);
            this.drawdownMonitor = new LimitMonitor(drawdownLimit);
        }

        void step(List<Emission> out) {
            stressed = stressed ? random.nextDouble() >= TO_CALM : random.nextDouble() < TO_STRESS;
            double dailyVol = (stressed ? STRESSED_VOL : CALM_VOL) / Math.sqrt(EquityCurve.TRADING_DAYS);
            double r = Math.max(-0.5, 0.0003 + dailyVol * Gaussian.next(random));
            var.add(r);
            equity.add(r);
            if (var.isReady()) {
                double value = var.value();
                varMonitor.check(value).ifPresent(severity -> out.add(alert("var_exceeded", "var_95", value,
                        varMonitor.limit(), severity, "VaR exceeded threshold")));
            }
            double drawdown = -equity.drawdown();
            drawdownMonitor.check(drawdown).ifPresent(severity -> out.add(alert("drawdown_exceeded", "drawdown",
                    drawdown, drawdownMonitor.limit(), severity, "Drawdown exceeded threshold")));
        }

        Emission alert(String type, String metric, double value, double limit, Severity severity, String what) {
            String message = String.format(Locale.ROOT, "%s: %.4f > %.4f", what, value, limit);
            return new Emission(id, new RiskAlert(type, severity, message, metric, round(value), limit,
                    "portfolio", id));
        }
    }

    private static double round(double value) {
        return Math.round(value * 100_000) / 100_000.0;
    }
}
