package dev.ssebridge.simulators;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * Produces demo streams of the trading platform's events to Kafka. This first version writes one
 * training task's progress; realistic simulators for all four streams follow.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class SimulatorsApplication {

    public static void main(String[] args) {
        SpringApplication.run(SimulatorsApplication.class, args);
    }
}
