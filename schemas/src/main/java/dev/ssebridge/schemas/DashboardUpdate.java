package dev.ssebridge.schemas;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.List;
import java.util.Locale;

/**
 * Payload of {@code dashboard_update}; see {@code schemas/dashboard_update.schema.json}.
 * The shape of {@code data} follows {@code updateType}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DashboardUpdate(UpdateType updateType, String portfolioId, Data data) {

    public enum UpdateType {
        METRICS, POSITIONS, ORDERS;

        @JsonValue
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** One of {@link PortfolioMetrics}, {@link Positions}, {@link Orders}; told apart by their fields. */
    @JsonTypeInfo(use = JsonTypeInfo.Id.DEDUCTION)
    @JsonSubTypes({
        @JsonSubTypes.Type(PortfolioMetrics.class),
        @JsonSubTypes.Type(Positions.class),
        @JsonSubTypes.Type(Orders.class)})
    public sealed interface Data permits PortfolioMetrics, Positions, Orders {
    }

    public record PortfolioMetrics(double totalValue, double dailyReturn, int positionsCount, int openOrders)
            implements Data {
    }

    public record Positions(List<Position> positions) implements Data {
    }

    public record Position(String symbol, double quantity, double price, double marketValue) {
    }

    public record Orders(List<Order> orders) implements Data {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Order(String orderId, String symbol, String side, double quantity, Double limitPrice, String status) {
    }

    public static DashboardUpdate metrics(String portfolioId, PortfolioMetrics metrics) {
        return new DashboardUpdate(UpdateType.METRICS, portfolioId, metrics);
    }

    public static DashboardUpdate positions(String portfolioId, List<Position> positions) {
        return new DashboardUpdate(UpdateType.POSITIONS, portfolioId, new Positions(positions));
    }

    public static DashboardUpdate orders(String portfolioId, List<Order> orders) {
        return new DashboardUpdate(UpdateType.ORDERS, portfolioId, new Orders(orders));
    }
}
