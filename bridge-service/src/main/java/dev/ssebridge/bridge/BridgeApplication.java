package dev.ssebridge.bridge;

import java.time.Clock;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Bean;

/** Serves Kafka topics to HTTP clients as Server-Sent Events. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class BridgeApplication {

    /** The one clock every component reads. */
    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    public static void main(String[] args) {
        SpringApplication.run(BridgeApplication.class, args);
    }
}
