package dev.ssebridge.simulators;

import dev.ssebridge.simulators.backtest.BacktestSimulation;
import dev.ssebridge.simulators.portfolio.PortfolioSimulation;
import dev.ssebridge.simulators.risk.RiskSimulation;
import dev.ssebridge.simulators.training.TrainingSimulation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Builds the enabled simulations from settings and one seed; each gets its own split of the seed. */
public final class Simulations {

    /** A simulation with where and how often it writes. */
    public record Scheduled(Simulation simulation, String topic, Duration interval) {
    }

    private Simulations() {
    }

    public static List<Scheduled> create(SimulatorProperties settings, long seed) {
        SplittableRandom root = new SplittableRandom(seed);
        // Split in a fixed order whatever is enabled, so one stream's records do not depend on the others.
        SplittableRandom training = root.split();
        SplittableRandom backtest = root.split();
        SplittableRandom risk = root.split();
        SplittableRandom portfolio = root.split();
        List<Scheduled> out = new ArrayList<>();
        var t = settings.training();
        if (t.enabled()) {
            out.add(new Scheduled(new TrainingSimulation(training, t.concurrentTasks(), t.epochs(),
                    t.failureProbability()), t.topic(), t.interval()));
        }
        var b = settings.backtest();
        if (b.enabled()) {
            out.add(new Scheduled(new BacktestSimulation(backtest, b.strategies(), b.days()), b.topic(), b.interval()));
        }
        var r = settings.risk();
        if (r.enabled()) {
            out.add(new Scheduled(new RiskSimulation(risk, r.portfolios(), r.varWindow(), r.varLimit(),
                    r.drawdownLimit()), r.topic(), r.interval()));
        }
        var p = settings.portfolio();
        if (p.enabled()) {
            out.add(new Scheduled(new PortfolioSimulation(portfolio, p.portfolios()), p.topic(), p.interval()));
        }
        return out;
    }
}
