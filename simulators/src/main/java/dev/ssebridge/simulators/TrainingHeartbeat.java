package dev.ssebridge.simulators;

import dev.ssebridge.schemas.EventJson;
import dev.ssebridge.schemas.RunStatus;
import dev.ssebridge.schemas.TrainingProgress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/** Writes the progress of one endless training task, one epoch per interval. */
@Component
class TrainingHeartbeat implements SmartLifecycle {

    private final SimulatorProperties properties;
    private final JsonMapper json = EventJson.mapper();
    private ScheduledExecutorService executor;
    private KafkaProducer<byte[], byte[]> producer;
    private int epoch;

    TrainingHeartbeat(SimulatorProperties properties) {
        this.properties = properties;
    }

    @Override
    public void start() {
        producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, properties.bootstrapServers(),
                ProducerConfig.LINGER_MS_CONFIG, 0,
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true), new ByteArraySerializer(), new ByteArraySerializer());
        executor = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "simulator-training"));
        long millis = properties.interval().toMillis();
        executor.scheduleAtFixedRate(this::tick, 0, millis, TimeUnit.MILLISECONDS);
    }

    private void tick() {
        int done = epoch++ % 100 + 1;
        double loss = Math.exp(-done / 30.0);
        var event = new TrainingProgress("task-demo", done, done == 100 ? RunStatus.COMPLETED : RunStatus.RUNNING,
                "Training epoch " + done + "/100", done, 100, null,
                new TrainingProgress.Metrics(loss, 1 - loss / 2));
        producer.send(new ProducerRecord<>(properties.trainingTopic(), "task-demo".getBytes(StandardCharsets.UTF_8),
                json.writeValueAsBytes(event)));
    }

    @Override
    public void stop() {
        executor.shutdownNow();
        producer.close();
        executor = null;
    }

    @Override
    public boolean isRunning() {
        return executor != null;
    }
}
