package dev.ssebridge.bridge.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The gate opens at once on a writable channel, waits while it is not, and opens when it drains or closes. */
class ChannelWriteGateTest {

    @Test
    void waitsWhileTheChannelIsNotWritableAndOpensWhenItDrains() {
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.config().setWriteBufferWaterMark(new WriteBufferWaterMark(8, 16));
        ChannelWriteGate gate = new ChannelWriteGate(channel);
        channel.pipeline().addLast(gate);
        AtomicInteger open = new AtomicInteger();

        gate.whenWritable().subscribe(null, null, open::incrementAndGet);
        channel.runPendingTasks();
        assertThat(open).hasValue(1);

        channel.write(Unpooled.wrappedBuffer(new byte[32])); // queued, not flushed: above the high water mark
        assertThat(channel.isWritable()).isFalse();
        gate.whenWritable().subscribe(null, null, open::incrementAndGet);
        gate.whenWritable().subscribe(null, null, open::incrementAndGet);
        channel.runPendingTasks();
        assertThat(open).as("waiting while not writable").hasValue(1);

        channel.flush();
        channel.runPendingTasks();
        assertThat(open).as("both open once drained").hasValue(3);
    }

    @Test
    void opensWhenTheChannelCloses() {
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.config().setWriteBufferWaterMark(new WriteBufferWaterMark(8, 16));
        ChannelWriteGate gate = new ChannelWriteGate(channel);
        channel.pipeline().addLast(gate);
        AtomicInteger open = new AtomicInteger();
        channel.write(Unpooled.wrappedBuffer(new byte[32]));
        gate.whenWritable().subscribe(null, null, open::incrementAndGet);
        channel.runPendingTasks();
        assertThat(open).hasValue(0);

        channel.close();
        channel.runPendingTasks();
        assertThat(open).hasValue(1);
    }
}
