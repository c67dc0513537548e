package dev.ssebridge.simulators.backtest;

import dev.ssebridge.schemas.BacktestProgress;
import dev.ssebridge.schemas.EventType;
import dev.ssebridge.schemas.RunStatus;
import dev.ssebridge.simulators.Emission;
import dev.ssebridge.simulators.Ids;
import dev.ssebridge.simulators.Simulation;
import dev.ssebridge.simulators.maths.EquityCurve;
import dev.ssebridge.simulators.maths.GeometricBrownianMotion;
import dev.ssebridge.simulators.maths.TradingCalendar;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Backtests of several strategies, simulated one trading day (weekdays) per tick. Daily returns follow
 * geometric Brownian motion with each strategy's drift and volatility; total return, Sharpe ratio and
 * maximum drawdown come from the resulting equity curve. A finished backtest is followed by a new run of
 * the same strategy over another period.
 */
public final class BacktestSimulation implements Simulation {

    /** A strategy's annual drift and volatility. */
    public record Strategy(String name, double mu, double sigma) {
    }

    public static final List<Strategy> STRATEGIES = List.of(
            new Strategy("momentum", 0.14, 0.20),
            new Strategy("mean_reversion", 0.09, 0.12),
            new Strategy("pairs_trading", 0.06, 0.07),
            new Strategy("breakout", 0.18, 0.30),
            new Strategy("carry", 0.05, 0.10));

    private final SplittableRandom random;
    private final int days;
    private final List<Run> runs = new ArrayList<>();

    /**
     * @param strategies how many of {@link #STRATEGIES} to run at once
     * @param days       trading days per backtest
     */
    public BacktestSimulation(SplittableRandom random, int strategies, int days) {
        if (strategies < 1 || strategies > STRATEGIES.size()) {
            throw new IllegalArgumentException("strategies must be 1.." + STRATEGIES.size());
        }
        this.random = random;
        this.days = days;
        for (int i = 0; i < strategies; i++) {
            runs.add(new Run(STRATEGIES.get(i)));
        }
    }

    @Override
    public EventType type() {
        return EventType.BACKTEST_PROGRESS;
    }

    @Override
    public List<Emission> tick() {
        List<Emission> out = new ArrayList<>();
        for (int i = 0; i < runs.size(); i++) {
            Run run = runs.get(i);
            if (run.done()) {
                run = new Run(run.strategy);
                runs.set(i, run);
            }
            out.add(new Emission(run.id, run.step()));
        }
        return out;
    }

    private final class Run {
        final Strategy strategy;
        final String id;
        final GeometricBrownianMotion returns;
        final EquityCurve curve = new EquityCurve(1_000_000);
        LocalDate date;

        Run(Strategy strategy) {
            this.strategy = strategy;
            this.id = Ids.next("bt-" + strategy.name().replace('_', '-'), random);
            this.returns = new GeometricBrownianMotion(strategy.mu(), strategy.sigma(), random);
            // A start somewhere in 2020..2024, so runs cover different markets.
            this.date = TradingCalendar.onOrAfter(LocalDate.of(2020, 1, 1).plusDays(random.nextInt(5 * 365)));
        }

        BacktestProgress step() {
            curve.add(returns.nextReturn());
            LocalDate simulated = date;
            date = TradingCalendar.next(date);
            double progress = Math.round(1000.0 * curve.days() / days) / 10.0;
            boolean last = curve.days() == days;
            var results = new BacktestProgress.Results(round(curve.totalReturn()), round(curve.sharpeRatio()),
                    round(curve.maxDrawdown()));
            return new BacktestProgress(id, strategy.name(), progress,
                    last ? RunStatus.COMPLETED : RunStatus.RUNNING,
                    last ? "Backtest completed: " + days + " trading days" : "Simulating " + simulated,
                    simulated, results);
        }

        boolean done() {
            return curve.days() >= days;
        }
    }

    private static double round(double value) {
        return Math.round(value * 10_000) / 10_000.0;
    }
}
