package dev.ssebridge.bridge.stream;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.FastThreadLocal;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.RejectedExecutionException;

/**
 * Each frame's HTTP/1.1 chunk (its size in hex, CRLF, the frame, CRLF), built once per event loop for every
 * connection the loop writes it to. A live event of a single-channel stream is the same bytes for every connection
 * (the hub's frame, id included), and a loop writes it to all of its connections in one task: the first builds the
 * chunk in one pooled direct buffer, the others write views of it ({@code retainedDuplicate}: a reference count, no
 * copy, no allocation of memory the socket reads). The loop lets go of it at its next frame, or when the clear
 * task it queued with the first runs (after the task that wrote the frame). Frames that differ per connection (gzip,
 * multi-channel ids, batches) get a chunk each, as before.
 *
 * <p>One per server (the route), its state per event loop thread: touched by that loop only.
 */
final class SharedChunks {

    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private final FastThreadLocal<Last> last = new FastThreadLocal<>() {
        @Override
        protected Last initialValue() {
            return new Last();
        }
    };

    /** The event loop: the frame's chunk, for the caller to write (which releases it). */
    ByteBuf chunkOf(byte[] frame, EventLoop loop, ByteBufAllocator allocator) {
        Last cached = last.get();
        if (cached.frame == frame) {
            return cached.chunk.retainedDuplicate();
        }
        ByteBuf chunk = encode(frame, allocator);
        if (cached.frame != null) {
            cached.chunk.release();
        } else {
            try {
                loop.execute(cached::clear); // after the task that writes the frame to this loop's connections
            } catch (RejectedExecutionException e) {
                return chunk; // the loop is stopping: nothing is kept for later
            }
        }
        cached.frame = frame;
        cached.chunk = chunk;
        return chunk.retainedDuplicate();
    }

    static ByteBuf encode(byte[] frame, ByteBufAllocator allocator) {
        int length = frame.length;
        int digits = Math.max(1, (Integer.SIZE - Integer.numberOfLeadingZeros(length) + 3) / 4);
        ByteBuf chunk = allocator.directBuffer(digits + CRLF.length + length + CRLF.length);
        for (int shift = (digits - 1) * 4; shift >= 0; shift -= 4) {
            chunk.writeByte(HEX[(length >>> shift) & 0xf]);
        }
        return chunk.writeBytes(CRLF).writeBytes(frame).writeBytes(CRLF);
    }

    /** The frame a loop wrote last, and its chunk (one reference, this object's). */
    private static final class Last {

        private byte[] frame;
        private ByteBuf chunk;

        void clear() {
            if (chunk != null) {
                chunk.release();
            }
            frame = null;
            chunk = null;
        }
    }
}
