package dev.ssebridge.bridge.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SharedChunksTest {

    private final UnpooledByteBufAllocator allocator = new UnpooledByteBufAllocator(true);
    private final EmbeddedChannel loop = new EmbeddedChannel();
    private final SharedChunks chunks = new SharedChunks();

    /** Two connections of one loop get views of one buffer; the next frame gets its own; nothing is kept after. */
    @Test
    void oneBufferPerFrameAndLoopReleasedOnceWrittenAndTheTaskIsOver() {
        byte[] frame = "data: a\n\n".getBytes(StandardCharsets.US_ASCII);
        byte[] next = "data: b\n\n".getBytes(StandardCharsets.US_ASCII);

        ByteBuf first = chunks.chunkOf(frame, loop.eventLoop(), allocator);
        ByteBuf second = chunks.chunkOf(frame, loop.eventLoop(), allocator);
        ByteBuf shared = first.unwrap();
        assertThat(second.unwrap()).isSameAs(shared);
        assertThat(first.toString(StandardCharsets.US_ASCII)).isEqualTo("9\r\ndata: a\n\n\r\n");
        assertThat(second.toString(StandardCharsets.US_ASCII)).isEqualTo("9\r\ndata: a\n\n\r\n");

        ByteBuf third = chunks.chunkOf(next, loop.eventLoop(), allocator);
        assertThat(third.unwrap()).isNotSameAs(shared);
        assertThat(third.toString(StandardCharsets.US_ASCII)).isEqualTo("9\r\ndata: b\n\n\r\n");
        first.release();
        second.release();
        assertThat(shared.refCnt()).as("the first frame's buffer, once both writes are done").isZero();

        loop.runPendingTasks(); // the end of the task that wrote them
        ByteBuf last = third.unwrap();
        third.release();
        assertThat(last.refCnt()).as("the second frame's buffer, once written and the task is over").isZero();
    }

    @Test
    void theSameFrameInALaterTaskIsBuiltAgain() {
        byte[] frame = "data: a\n\n".getBytes(StandardCharsets.US_ASCII);
        ByteBuf first = chunks.chunkOf(frame, loop.eventLoop(), allocator);
        loop.runPendingTasks();
        ByteBuf again = chunks.chunkOf(frame, loop.eventLoop(), allocator);

        assertThat(again.unwrap()).isNotSameAs(first.unwrap());
        first.release();
        again.release();
        loop.runPendingTasks();
        assertThat(again.unwrap().refCnt()).isZero();
    }
}
