package dev.ssebridge.benchmarks.jmh;

import dev.ssebridge.bridge.channel.Channel;
import dev.ssebridge.bridge.channel.ChannelTag;
import dev.ssebridge.bridge.channel.Channels;
import dev.ssebridge.bridge.cursor.CursorCodec;
import dev.ssebridge.bridge.frame.ChannelRecord;
import dev.ssebridge.bridge.frame.DecodedRecord;
import dev.ssebridge.bridge.frame.RecordDecoder;
import dev.ssebridge.bridge.hub.ChannelHub;
import java.nio.charset.StandardCharsets;
import java.util.List;
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

    /** A training_progress value as the simulators write it. */
    private static final byte[] VALUE = ("{\"task_id\":\"train-7f3a2c\",\"status\":\"running\",\"epoch\":17,\"total_epochs\":60,"
            + "\"progress\":28.33,\"metrics\":{\"loss\":0.4132,\"val_loss\":0.4588,\"accuracy\":0.8121,"
            + "\"val_accuracy\":0.7954},\"message\":\"Epoch 17/60\",\"timestamp\":\"2026-11-24T06:30:00.123Z\"}")
            .getBytes(StandardCharsets.UTF_8);
    private static final byte[] KEY = "train-7f3a2c".getBytes(StandardCharsets.UTF_8);

    private RecordDecoder decoder;
    private ChannelHub hub;
    private ChannelRecord record;
    private long offset;
    private long timestamp = 1_764_000_000_000L;

    @Setup
    public void setUp() {
        Channel channel = new Channel("training", "mystocks.training.progress", "training_progress",
                ChannelTag.of("training"), null, null, null);
        decoder = new RecordDecoder(channel, 1 << 20, null, null);
        hub = new ChannelHub(channel, new CursorCodec(new Channels(List.of(channel))), 10_000, 64L << 20, null);
        hub.assigned(new long[] {0, 0, 0});
        record = ((DecodedRecord.Deliverable) decoder.decode(0, 0, timestamp, KEY, VALUE)).record();
    }

    @Benchmark
    public DecodedRecord decode() {
        return decoder.decode(0, offset++, timestamp += 3, KEY, VALUE);
    }

    @Benchmark
    public void publish() {
        offset++;
        hub.publish(new ChannelRecord(record.channel(), (int) (offset % 3), offset / 3, timestamp, record.key(), -1,
                record.body(), false, record.key()));
    }
}
