package dev.ssebridge.benchmarks.jmh;

import dev.ssebridge.bridge.channel.Channel;
import dev.ssebridge.bridge.cursor.Cursor;
import dev.ssebridge.bridge.cursor.CursorCodec;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cursor, written once per event by the tail (its shared {@code id:}) and once per event per
 * connection whose position differs from the tail's (replays, multiplexed streams); read once per resume.
 * Run: {@code benchmarks/jmh.sh Cursor}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CursorBenchmark {

    /** Partitions of the channel: a small topic and a wide one. */
    @Param({"3", "48"})
    int partitions;

    private CursorCodec codec;
    private Channel channel;
    private long[] offsets;
    private String encoded;

    /** A topic's incarnation, as a tail finds it from the topic id. */
    private static final int INCARNATION = 0x5eed;

    @Setup
    public void setUp() {
        // In this state's fields, not read from the static finals: the JIT would fold those as constants.
        channel = TrainingSample.CHANNEL;
        codec = TrainingSample.CODEC;
        offsets = new long[partitions];
        for (int p = 0; p < partitions; p++) {
            offsets[p] = 1_000_000L + 7919L * p; // offsets of a topic that has run for a while
        }
        encoded = codec.encode(channel, INCARNATION, offsets);
    }

    @Benchmark
    public String encode() {
        offsets[0]++; // a new position each time, as after each event
        return codec.encode(channel, INCARNATION, offsets);
    }

    @Benchmark
    public Cursor decode() {
        return codec.decode(encoded);
    }
}
