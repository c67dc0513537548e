package dev.ssebridge.simulators.portfolio;

import dev.ssebridge.schemas.DashboardUpdate;
import dev.ssebridge.schemas.EventType;
import dev.ssebridge.simulators.Emission;
import dev.ssebridge.simulators.Ids;
import dev.ssebridge.simulators.Simulation;
import dev.ssebridge.simulators.maths.EquityCurve;
import dev.ssebridge.simulators.maths.Gaussian;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Portfolios trading a small market. Each tick is a five-minute bar: prices move by geometric Brownian
 * motion; each portfolio may place limit orders, which fill when the price reaches them or are cancelled.
 * Figures are derived from the holdings, never drawn on their own: total value is cash plus positions at
 * market, the daily return is measured from the value at the start of the (simulated) trading day.
 * Every tick emits {@code metrics}; {@code positions} when holdings change and every tenth tick;
 * {@code orders} when the order book changes.
 */
public final class PortfolioSimulation implements Simulation {

    private static final String[] SYMBOLS = {"AAPL", "MSFT", "NVDA", "AMZN", "GOOGL", "JPM", "XOM", "TSLA", "META", "V"};
    private static final double[] START_PRICES = {190, 410, 120, 180, 170, 200, 110, 240, 500, 280};
    private static final double[] VOLATILITY = {0.25, 0.22, 0.45, 0.30, 0.28, 0.20, 0.24, 0.55, 0.35, 0.18};
    private static final int BARS_PER_DAY = 78;

    private final SplittableRandom random;
    private final double[] prices = START_PRICES.clone();
    private final List<Portfolio> portfolios = new ArrayList<>();
    private long bar;

    public PortfolioSimulation(SplittableRandom random, int portfolios) {
        this.random = random;
        for (int i = 1; i <= portfolios; i++) {
            this.portfolios.add(new Portfolio(String.format("portfolio-%03d", i)));
        }
    }

    @Override
    public EventType type() {
        return EventType.DASHBOARD_UPDATE;
    }

    @Override
    public List<Emission> tick() {
        double dt = 1.0 / EquityCurve.TRADING_DAYS / BARS_PER_DAY;
        for (int s = 0; s < prices.length; s++) {
            double sigma = VOLATILITY[s];
            prices[s] *= Math.exp((0.08 - sigma * sigma / 2) * dt + sigma * Math.sqrt(dt) * Gaussian.next(random));
        }
        boolean newDay = bar % BARS_PER_DAY == 0;
        bar++;
        List<Emission> out = new ArrayList<>();
        for (Portfolio portfolio : portfolios) {
            portfolio.step(newDay, out);
        }
        return out;
    }

    private final class Portfolio {
        final String id;
        double cash = 250_000;
        final Map<String, Double> holdings = new LinkedHashMap<>();
        final List<DashboardUpdate.Order> orders = new ArrayList<>();
        double dayStartValue;

        Portfolio(String id) {
            this.id = id;
            // Start invested in five random names, about 150k each.
            for (int i = 0; i < 5; i++) {
                int s = random.nextInt(SYMBOLS.length);
                holdings.merge(SYMBOLS[s], Math.floor(150_000 / prices[s]), Double::sum);
            }
            dayStartValue = value();
        }

        void step(boolean newDay, List<Emission> out) {
            if (newDay) {
                dayStartValue = value();
            }
            boolean bookChanged = placeOrder();
            boolean holdingsChanged = false;
            for (int i = 0; i < orders.size(); i++) {
                DashboardUpdate.Order order = orders.get(i);
                if (!order.status().equals("open")) {
                    continue;
                }
                double price = prices[indexOf(order.symbol())];
                boolean buy = order.side().equals("buy");
                if (!buy && holdings.getOrDefault(order.symbol(), 0.0) < order.quantity()) {
                    // Another sell already used these shares: no short selling.
                    orders.set(i, withStatus(order, "cancelled"));
                    bookChanged = true;
                } else if (buy ? price <= order.limitPrice() : price >= order.limitPrice()) {
                    fill(order, price);
                    orders.set(i, withStatus(order, "filled"));
                    holdingsChanged = bookChanged = true;
                } else if (random.nextDouble() < 0.03) {
                    orders.set(i, withStatus(order, "cancelled"));
                    bookChanged = true;
                }
            }
            out.add(new Emission(id, DashboardUpdate.metrics(id, new DashboardUpdate.PortfolioMetrics(
                    round2(value()), round4(value() / dayStartValue - 1), positionsCount(), openOrders()))));
            if (holdingsChanged || bar % 10 == 1) {
                out.add(new Emission(id, DashboardUpdate.positions(id, positions())));
            }
            if (bookChanged) {
                out.add(new Emission(id, DashboardUpdate.orders(id, List.copyOf(orders))));
                orders.removeIf(o -> !o.status().equals("open"));
            }
        }

        /** Now and then a limit order slightly away from the market; sells only what is held. */
        private boolean placeOrder() {
            if (random.nextDouble() >= 0.2) {
                return false;
            }
            int s = random.nextInt(SYMBOLS.length);
            String symbol = SYMBOLS[s];
            boolean buy = random.nextBoolean() || holdings.getOrDefault(symbol, 0.0) < 10;
            double quantity = buy ? 10 + random.nextInt(90) : Math.min(holdings.get(symbol), 10 + random.nextInt(90));
            if (buy && quantity * prices[s] > cash) {
                return false;
            }
            double offset = 0.001 + 0.003 * random.nextDouble();
            double limit = round2(prices[s] * (buy ? 1 - offset : 1 + offset));
            orders.add(new DashboardUpdate.Order(Ids.next("ord", random), symbol, buy ? "buy" : "sell", quantity,
                    limit, "open"));
            return true;
        }

        private void fill(DashboardUpdate.Order order, double price) {
            double signed = order.side().equals("buy") ? order.quantity() : -order.quantity();
            cash -= signed * price;
            holdings.merge(order.symbol(), signed, Double::sum);
            holdings.remove(order.symbol(), 0.0);
        }

        private static DashboardUpdate.Order withStatus(DashboardUpdate.Order order, String status) {
            return new DashboardUpdate.Order(order.orderId(), order.symbol(), order.side(), order.quantity(),
                    order.limitPrice(), status);
        }

        double value() {
            double value = cash;
            for (Map.Entry<String, Double> h : holdings.entrySet()) {
                value += h.getValue() * prices[indexOf(h.getKey())];
            }
            return value;
        }

        int positionsCount() {
            return (int) holdings.values().stream().filter(q -> q != 0).count();
        }

        int openOrders() {
            return (int) orders.stream().filter(o -> o.status().equals("open")).count();
        }

        List<DashboardUpdate.Position> positions() {
            List<DashboardUpdate.Position> out = new ArrayList<>();
            holdings.forEach((symbol, quantity) -> {
                if (quantity != 0) {
                    double price = prices[indexOf(symbol)];
                    out.add(new DashboardUpdate.Position(symbol, quantity, round2(price), round2(quantity * price)));
                }
            });
            return out;
        }
    }

    private static int indexOf(String symbol) {
        for (int i = 0; i < SYMBOLS.length; i++) {
            if (SYMBOLS[i].equals(symbol)) {
                return i;
            }
        }
        throw new IllegalArgumentException(symbol);
    }

    private static double round2(double value) {
        return Math.round(value * 100) / 100.0;
    }

    private static double round4(double value) {
        return Math.round(value * 10_000) / 10_000.0;
    }
}
