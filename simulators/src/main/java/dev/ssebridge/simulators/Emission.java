package dev.ssebridge.simulators;

/**
 * One record a simulation wants produced.
 *
 * @param key     Kafka key: the entity id (task, backtest, portfolio)
 * @param payload a record of the schemas module, serialised as the record value
 */
public record Emission(String key, Object payload) {
}
