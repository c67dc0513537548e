package dev.ssebridge.bridge.stream;

import dev.ssebridge.bridge.config.BridgeProperties;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.zip.GZIPOutputStream;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * gzip on stream responses, for clients that accept it. Each write (one event, or a batch that leaves together)
 * is compressed and flushed at once ({@code SYNC_FLUSH}), so compression adds no latency: the client's inflater
 * gets every event whole as soon as it is written. The compressor lives as long as the stream and sees every
 * event, so repeated field names cost almost nothing after the first.
 *
 * <p>Each compressed stream holds a zlib state of about 260 KB outside the heap (a 32 KB window and its hash
 * tables). {@code bridge.stream.compression.max-streams} bounds how many streams are compressed at once; the
 * streams beyond it are served uncompressed, which every client reads as well.
 */
final class StreamCompression {

    private final BridgeProperties.CompressionProperties settings;
    private final AtomicInteger open = new AtomicInteger();

    StreamCompression(BridgeProperties.CompressionProperties settings, MeterRegistry meters) {
        this.settings = settings;
        Gauge.builder("ssebridge.streams.compressed", open, AtomicInteger::get)
                .description("Stream responses open with Content-Encoding gzip").register(meters);
    }

    /**
     * The frames as they go on the wire: gzip when the client accepts it and a compressor is free (adding
     * {@code Content-Encoding}), as they are otherwise.
     *
     * @param addHeader adds a response header (not replacing one: {@code Vary} has the security chain's values too)
     */
    Flux<byte[]> apply(String acceptEncoding, BiConsumer<String, String> addHeader, Flux<byte[]> frames) {
        if (!settings.enabled()) {
            return frames;
        }
        addHeader.accept("Vary", "Accept-Encoding");
        if (!acceptsGzip(acceptEncoding) || !reserve()) {
            return frames;
        }
        addHeader.accept("Content-Encoding", "gzip");
        return Flux.using(() -> new Compressor(settings.level()),
                compressor -> frames.map(compressor::write).concatWith(Mono.fromSupplier(compressor::finish)),
                compressor -> {
                    compressor.close();
                    open.decrementAndGet();
                });
    }

    private boolean reserve() {
        while (true) {
            int now = open.get();
            if (now >= settings.maxStreams()) {
                return false;
            }
            if (open.compareAndSet(now, now + 1)) {
                return true;
            }
        }
    }

    /**
     * Whether {@code Accept-Encoding} accepts gzip (RFC 9110 §12.5.3): its own entry ({@code gzip} or
     * {@code x-gzip}) decides by its q-value; without one, {@code *} does.
     */
    static boolean acceptsGzip(String acceptEncoding) {
        if (acceptEncoding == null) {
            return false;
        }
        Double gzip = null;
        Double any = null;
        for (String part : acceptEncoding.split(",")) {
            String[] pieces = part.split(";");
            String coding = pieces[0].strip().toLowerCase(Locale.ROOT);
            if (coding.equals("gzip") || coding.equals("x-gzip")) {
                gzip = Math.max(gzip == null ? 0 : gzip, quality(pieces));
            } else if (coding.equals("*")) {
                any = quality(pieces);
            }
        }
        Double decides = gzip != null ? gzip : any;
        return decides != null && decides > 0;
    }

    private static double quality(String[] pieces) {
        double q = 1;
        for (int i = 1; i < pieces.length; i++) {
            String parameter = pieces[i].strip().toLowerCase(Locale.ROOT);
            if (parameter.startsWith("q=")) {
                try {
                    q = Double.parseDouble(parameter.substring(2).strip());
                } catch (NumberFormatException e) {
                    q = 0;
                }
            }
        }
        return q;
    }

    /** One stream's gzip: the header with the first write, a sync flush after each, the trailer at the end. */
    private static final class Compressor {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
        private final GZIPOutputStream gzip;

        Compressor(int level) {
            try {
                gzip = new GZIPOutputStream(out, 1024, true) {
                    {
                        def.setLevel(level);
                    }
                };
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        byte[] write(byte[] frame) {
            try {
                gzip.write(frame);
                gzip.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return drain();
        }

        byte[] finish() {
            try {
                gzip.finish();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return drain();
        }

        private byte[] drain() {
            byte[] bytes = out.toByteArray();
            out.reset();
            return bytes;
        }

        void close() {
            try {
                gzip.close(); // ends the deflater, freeing its native memory
            } catch (IOException e) {
                // into memory: cannot fail
            }
        }
    }
}
