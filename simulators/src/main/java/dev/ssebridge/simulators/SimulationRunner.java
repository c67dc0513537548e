package dev.ssebridge.simulators;

import dev.ssebridge.schemas.EventJson;
import dev.ssebridge.simulators.encoding.ValueEncoding;
import dev.ssebridge.simulators.kafka.EmbeddedKafka;
import dev.ssebridge.simulators.kafka.EventPublisher;
import dev.ssebridge.simulators.kafka.TopicCreator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Runs the simulations for the life of the application: starts the embedded broker when no cluster is
 * given, creates missing topics, then ticks each simulation at its interval on one thread and writes what
 * it emits. Stops in reverse order, the embedded broker last.
 */
@Component
class SimulationRunner implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(SimulationRunner.class);

    private final SimulatorProperties settings;
    private EmbeddedKafka embedded;
    private EventPublisher publisher;
    private ScheduledExecutorService scheduler;

    SimulationRunner(SimulatorProperties settings) {
        this.settings = settings;
    }

    @Override
    public synchronized void start() {
        long seed = settings.seed() != null ? settings.seed() : ThreadLocalRandom.current().nextLong();
        List<Simulations.Scheduled> simulations = Simulations.create(settings, seed);
        // Schemas first: a registry that is missing or refuses stops the start before a broker exists to stop.
        ValueEncoding values = ValueEncoding.of(settings.format(), EventJson.mapper(), settings.schemaRegistryUrl());
        simulations.forEach(s -> values.prepare(s.topic(), s.simulation().type()));
        String bootstrap = settings.bootstrapServers();
        if (settings.useEmbeddedKafka()) {
            var e = settings.embedded();
            embedded = EmbeddedKafka.start(e.host(), e.port(), e.controllerPort(), e.dataDir());
            bootstrap = embedded.bootstrapServers();
            log.info("Embedded Kafka broker running at {}", bootstrap);
        }
        if (settings.createTopics()) {
            TopicCreator.ensure(bootstrap, simulations.stream().map(Simulations.Scheduled::topic).toList(),
                    settings.partitions());
        }
        publisher = new EventPublisher(bootstrap, settings.producer(), values);
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "simulators"));
        for (Simulations.Scheduled s : simulations) {
            long millis = s.interval().toMillis();
            scheduler.scheduleAtFixedRate(() -> tick(s), 0, millis, TimeUnit.MILLISECONDS);
            log.info("Simulating {} to {} every {}", s.simulation().type().eventName(), s.topic(), s.interval());
        }
        // "Simulators writing to <bootstrap>" is what demo.sh, the benchmarks and CI wait for: keep it.
        log.info("Simulators writing to {} ({} values) with seed {} (--seed={} repeats this run)", bootstrap,
                settings.format().name().toLowerCase(Locale.ROOT), seed, seed);
    }

    private void tick(Simulations.Scheduled s) {
        try {
            publisher.publish(s.topic(), s.simulation().type(), s.simulation().tick());
        } catch (RuntimeException e) {
            // A periodic task that throws is never run again: log and keep going.
            log.warn("Simulation of {} failed a tick", s.simulation().type().eventName(), e);
        }
    }

    @Override
    public synchronized void stop() {
        if (scheduler != null) {
            scheduler.shutdownNow();
            try {
                scheduler.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            scheduler = null;
        }
        if (publisher != null) {
            publisher.close();
            publisher = null;
        }
        if (embedded != null) {
            embedded.close();
            embedded = null;
            log.info("Embedded Kafka broker stopped");
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return scheduler != null;
    }
}
