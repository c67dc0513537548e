package dev.ssebridge.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Kafka alone, no bridge: the same producer and records, read by one plain consumer (assign, no group,
 * as the bridge's tail reads). Its latency is the floor under every bridge figure on the same machine.
 */
final class KafkaBaseline {

    private KafkaBaseline() {
    }

    static Histogram measure(String bootstrap, String topic, int rate, Duration duration) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 100);
        Recorder recorder = new Recorder(TimeUnit.SECONDS.toMicros(120), 3);
        AtomicBoolean done = new AtomicBoolean();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new StringDeserializer());
             BenchProducer producer = new BenchProducer(bootstrap, topic, false, BenchProducer.TYPICAL_PAD, BenchValues.of("json"), 16)) {
            List<TopicPartition> partitions = new ArrayList<>();
            consumer.partitionsFor(topic).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position);
            Thread sender = new Thread(() -> {
                producer.sendAtRate(rate * duration.toSeconds(), rate);
                done.set(true);
            }, "baseline-producer");
            sender.start();
            long quietUntil = Long.MAX_VALUE;
            while (System.nanoTime() < quietUntil) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(100))) {
                    long sent = sentMicros(record.value());
                    if (sent > 0) {
                        recorder.recordValue(Math.max(0, Clocks.nowMicros() - sent));
                    }
                }
                if (done.get() && quietUntil == Long.MAX_VALUE) {
                    quietUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
                }
            }
        }
        return recorder.getIntervalHistogram();
    }

    private static long sentMicros(String value) {
        int i = value.indexOf("\"sent_us\":");
        if (i < 0) {
            return -1;
        }
        long v = 0;
        for (int k = i + 10; k < value.length() && Character.isDigit(value.charAt(k)); k++) {
            v = v * 10 + (value.charAt(k) - '0');
        }
        return v;
    }
}
