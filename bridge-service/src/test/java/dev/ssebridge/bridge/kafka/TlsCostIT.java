package dev.ssebridge.bridge.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ssebridge.bridge.support.BridgeFixture;
import dev.ssebridge.bridge.support.RunningBridge;
import dev.ssebridge.bridge.support.SseClient;
import dev.ssebridge.testsupport.SecuredKafkaBroker;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A benchmark, not a CI test (it measures and states, it has no threshold to hold): what SASL_SSL (SCRAM-SHA-512
 * over TLS) costs the bridge per record against plaintext, on the same broker, same records, same rate, one run each.
 * What is measured is the CPU time of the tails' threads: reactor-kafka's polling threads ({@code reactive-kafka-*},
 * where the Kafka consumers fetch and decrypt) and the tail threads ({@code kafka-tail-*}: decoding, publishing, the
 * hand-off to the event loops; the fan-out after it is the same for both). Only the measured channel has traffic.
 * The broker runs in this JVM, so the process's CPU would count its side too.
 *
 * <p>{@code ./mvnw -pl bridge-service verify -Dit.test=TlsCostIT -Dbench.tls=true [-Dbench.tls.rate=2000
 * -Dbench.tls.seconds=20 -Dbench.tls.bytes=512]}; results in {@code benchmarks/RESULTS.md}.
 */
@EnabledIfSystemProperty(named = "bench.tls", matches = "true")
class TlsCostIT {

    private static final Logger log = LoggerFactory.getLogger(TlsCostIT.class);
    private static final int RATE = Integer.getInteger("bench.tls.rate", 2000);
    private static final int SECONDS = Integer.getInteger("bench.tls.seconds", 20);
    private static final int BYTES = Integer.getInteger("bench.tls.bytes", 512);
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Duration IDLE = Duration.ofSeconds(10);

    @RegisterExtension
    static final BridgeFixture fixture = BridgeFixture.withPartitions(3)
            .onOwnBroker(SecuredKafkaBroker::start).startedByEachTest();

    @Test
    void cpuPerRecordOfTheTailOverScramAndTlsAgainstPlaintext() throws Exception {
        SecuredKafkaBroker broker = (SecuredKafkaBroker) fixture.broker();
        // Warm-up run first, so that neither measured run pays the JIT's first compilations.
        run("warm-up", fixture.start(Map.of()), 0);
        double plain = run("PLAINTEXT", fixture.start(Map.of()), 1_000_000);
        double scram = run("SASL_SSL (SCRAM-SHA-512)",
                fixture.start(broker.scramBridgeSettings(SecuredKafkaBroker.SCRAM_PASSWORD)), 2_000_000);
        log.info("TLS cost: tails' CPU per record {} µs plaintext, {} µs SASL_SSL: {}x, {} records of {} bytes at {}/s",
                String.format("%.2f", plain), String.format("%.2f", scram), String.format("%.2f", scram / plain),
                RATE * SECONDS, BYTES, RATE);
    }

    /** Writes the records at the fixed rate, waits for the client to have them all, returns tail CPU µs per record. */
    private double run(String name, RunningBridge bridge, int firstSeq) {
        bridge.awaitTailsAssigned();
        String topic = fixture.topic("training");
        char[] padding = new char[BYTES];
        Arrays.fill(padding, 'x');
        String pad = new String(padding);
        int count = RATE * SECONDS;
        try (SseClient client = bridge.connect("/api/v1/sse/training")) {
            client.awaitConnected();
            // The consumers poll when nothing comes too: that share, measured over a quiet while, is not per record.
            long idleFrom = System.nanoTime();
            long idleCpuBefore = tailCpuNanos();
            LockSupport.parkNanos(IDLE.toNanos()); // a window of time is what is measured here
            double idlePerNano = (double) (tailCpuNanos() - idleCpuBefore) / (System.nanoTime() - idleFrom);
            long cpuBefore = tailCpuNanos();
            long start = System.nanoTime();
            for (int i = 0; i < count; i++) {
                int seq = firstSeq + i;
                fixture.producer().sendAsync(topic, "k" + (seq % 16),
                        ("{\"seq\":" + seq + ",\"pad\":\"" + pad + "\"}").getBytes());
                // A producer at a fixed rate: the pacing is the benchmark's.
                LockSupport.parkNanos(start + (i + 1) * (1_000_000_000L / RATE) - System.nanoTime());
            }
            client.awaitNamed("training_progress", count, WAIT);
            long cpu = tailCpuNanos() - cpuBefore;
            long idle = (long) (idlePerNano * (System.nanoTime() - start));
            assertThat(client.seqs("training_progress")).hasSize(count).doesNotHaveDuplicates();
            double perRecord = (cpu - idle) / 1000.0 / count;
            log.info("{}: {} records, tails' CPU (polling and tail threads) {} ms, of which {} ms the idle polling's; "
                    + "{} µs per record beyond it ({} µs with it)", name, count, cpu / 1_000_000, idle / 1_000_000,
                    String.format("%.2f", perRecord), String.format("%.2f", cpu / 1000.0 / count));
            return perRecord;
        }
    }

    /** CPU time of the tails' threads: the consumers' polling threads and the tail threads. */
    private static long tailCpuNanos() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long total = 0;
        for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info != null && (info.getThreadName().startsWith("kafka-tail-")
                    || info.getThreadName().startsWith("reactive-kafka-"))) {
                total += Math.max(0, threads.getThreadCpuTime(info.getThreadId()));
            }
        }
        return total;
    }
}
