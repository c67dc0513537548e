package dev.ssebridge.benchmarks.jmh;

import dev.ssebridge.bridge.frame.ChannelRecord;
import dev.ssebridge.bridge.frame.DecodedRecord;
import dev.ssebridge.bridge.frame.RecordDecoder;
import dev.ssebridge.bridge.hub.ChannelHub;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The once-per-record work of the tail: checking a record and encoding its SSE event ({@code decode}),
 * and publishing it to a channel with no subscribers (position, shared {@code id:} line, frame, ring).
 * Every connection then shares these bytes, so this cost does not grow with the clients.
 * Run: {@code benchmarks/jmh.sh Frame}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class FrameBenchmark {

    private RecordDecoder decoder;
    private ChannelHub hub;
    private ChannelRecord record;
    private long offset;
    private long timestamp = 1_764_000_000_000L;

    @Setup
    public void setUp() {
        decoder = new RecordDecoder(TrainingSample.CHANNEL, 1 << 20, null, null);
        hub = new ChannelHub(TrainingSample.CHANNEL, TrainingSample.CODEC, 10_000, 64L << 20, null);
        hub.assigned(0x5eed, new long[] {0, 0, 0});
        record = ((DecodedRecord.Deliverable) decoder.decode(0, 0, timestamp, TrainingSample.KEY, TrainingSample.JSON, null)).record();
    }

    @Benchmark
    public DecodedRecord decode() {
        return decoder.decode(0, offset++, timestamp += 3, TrainingSample.KEY, TrainingSample.JSON, null);
    }

    @Benchmark
    public void publish() {
        offset++;
        hub.publish(new ChannelRecord(record.channel(), (int) (offset % 3), offset / 3, timestamp, record.key(), -1,
                record.body(), record.valueOffset(), record.valueLength(), false, record.key(), null));
    }
}
