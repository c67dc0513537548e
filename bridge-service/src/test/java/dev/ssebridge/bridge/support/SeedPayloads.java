package dev.ssebridge.bridge.support;

import tools.jackson.databind.JsonNode;

/** Record values shaped like the seed's payloads of each channel, numbered by {@code n}. */
public final class SeedPayloads {

    private SeedPayloads() {
    }

    public static String of(String channel, int index) {
        return switch (channel) {
            case "training" -> """
                    {"task_id":"task-%1$d","progress":%1$d,"status":"running","message":"Training epoch %1$d/100",\
                    "metrics":{"loss":0.5,"accuracy":0.8},"n":%1$d}""".formatted(index);
            case "backtest" -> """
                    {"backtest_id":"bt-1","progress":%1$d,"status":"running","message":"Simulating",\
                    "current_date":"2024-06-14","results":{"total_return":0.1,"sharpe_ratio":1.2,"max_drawdown":-0.05},\
                    "n":%1$d}""".formatted(index);
            case "alerts" -> """
                    {"alert_type":"var_exceeded","severity":"high","message":"VaR","metric_name":"var_95",\
                    "metric_value":0.06,"threshold":0.05,"entity_type":"portfolio","entity_id":"p-1","n":%1$d}"""
                    .formatted(index);
            case "dashboard" -> """
                    {"update_type":"metrics","data":{"total_value":1500000.5,"daily_return":0.025,\
                    "positions_count":15,"open_orders":3},"n":%1$d}""".formatted(index);
            default -> throw new IllegalArgumentException(channel);
        };
    }

    /** The number a payload of {@link #of} carries. */
    public static int indexOf(JsonNode payload) {
        return payload.get("n").asInt();
    }
}
