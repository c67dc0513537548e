package dev.ssebridge.simulators;

import dev.ssebridge.simulators.encoding.ValueFormat;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings under {@code simulators.*}; {@code --bootstrap-servers} and {@code --seed} are short forms.
 *
 * @param bootstrapServers Kafka to write to; blank starts an embedded broker (see {@code embedded})
 * @param seed             makes a run reproducible; blank picks one and logs it
 * @param format           record values: {@code json}, or {@code avro}/{@code protobuf} with the schemas
 *                         registered at {@code schemaRegistryUrl} (Confluent API) under {@code <topic>-value}
 * @param schemaRegistryUrl the registry's API root, required by {@code avro} and {@code protobuf}
 * @param createTopics     create missing topics at start-up
 * @param partitions       partitions of the topics it creates
 * @param producer         raw Kafka producer settings, passed through
 */
@Validated
@ConfigurationProperties("simulators")
public record SimulatorProperties(
        String bootstrapServers,
        Long seed,
        @NotNull @DefaultValue("json") ValueFormat format,
        String schemaRegistryUrl,
        @Valid @DefaultValue Embedded embedded,
        @DefaultValue("true") boolean createTopics,
        @Min(1) @Max(1000) @DefaultValue("3") int partitions,
        @DefaultValue Map<String, String> producer,
        @Valid @DefaultValue Training training,
        @Valid @DefaultValue Backtest backtest,
        @Valid @DefaultValue Risk risk,
        @Valid @DefaultValue Portfolio portfolio) {

    public SimulatorProperties {
        if (format != null && format.needsRegistry() && (schemaRegistryUrl == null || schemaRegistryUrl.isBlank())) {
            throw new IllegalArgumentException("simulators.schema-registry-url (--schema-registry-url) is required with"
                    + " simulators.format=" + format.name().toLowerCase(Locale.ROOT)
                    + ": the schemas are registered there");
        }
    }

    public boolean useEmbeddedKafka() {
        return bootstrapServers == null || bootstrapServers.isBlank();
    }

    /**
     * Where the embedded broker listens when no bootstrap servers are given.
     *
     * @param dataDir where it keeps its data across restarts (formatted on first use); unset: a temporary
     *                directory, deleted when it stops
     */
    public record Embedded(
            @NotBlank @DefaultValue("127.0.0.1") String host,
            @Min(1) @Max(65535) @DefaultValue("9092") int port,
            @Min(1) @Max(65535) @DefaultValue("9093") int controllerPort,
            Path dataDir) {
    }

    /**
     * @param concurrentTasks    trainings running at once
     * @param failureProbability chance that a training fails instead of completing
     */
    public record Training(
            @DefaultValue("true") boolean enabled,
            @NotBlank @DefaultValue("mystocks.training.progress") String topic,
            @NotNull @DefaultValue("1s") Duration interval,
            @Min(1) @Max(100) @DefaultValue("3") int concurrentTasks,
            @Min(2) @Max(100_000) @DefaultValue("60") int epochs,
            @DecimalMin("0") @DecimalMax("1") @DefaultValue("0.1") double failureProbability) {
    }

    /** @param days trading days per backtest */
    public record Backtest(
            @DefaultValue("true") boolean enabled,
            @NotBlank @DefaultValue("mystocks.backtest.progress") String topic,
            @NotNull @DefaultValue("500ms") Duration interval,
            @Min(1) @Max(5) @DefaultValue("3") int strategies,
            @Min(2) @Max(10_000) @DefaultValue("126") int days) {
    }

    /**
     * @param varWindow     daily returns in the historical VaR window
     * @param varLimit      daily VaR(95) limit, fraction
     * @param drawdownLimit drawdown limit, positive fraction
     */
    public record Risk(
            @DefaultValue("true") boolean enabled,
            @NotBlank @DefaultValue("mystocks.risk.alerts") String topic,
            @NotNull @DefaultValue("500ms") Duration interval,
            @Min(1) @Max(100) @DefaultValue("3") int portfolios,
            @Min(2) @Max(10_000) @DefaultValue("20") int varWindow,
            @DecimalMin("0.0001") @DefaultValue("0.025") double varLimit,
            @DecimalMin("0.0001") @DefaultValue("0.05") double drawdownLimit) {
    }

    public record Portfolio(
            @DefaultValue("true") boolean enabled,
            @NotBlank @DefaultValue("mystocks.portfolio.updates") String topic,
            @NotNull @DefaultValue("1s") Duration interval,
            @Min(1) @Max(100) @DefaultValue("2") int portfolios) {
    }
}
