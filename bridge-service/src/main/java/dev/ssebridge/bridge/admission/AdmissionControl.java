package dev.ssebridge.bridge.admission;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.ssebridge.bridge.config.BridgeProperties.AdmissionProperties;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Decides whether a new stream may open: a token bucket per client address for the rate (Bucket4j),
 * counts of open streams in total and per address. A stream admitted holds a {@link Permit} until it
 * ends; one refused costs nothing and leaves every open stream alone.
 */
public final class AdmissionControl {

    /** Why a stream was refused, and when to try again. */
    public record Refusal(String reason, String detail, long retryAfterSeconds) {
    }

    /** An admitted stream's place in the counts; closing it frees the place (once). */
    public final class Permit implements AutoCloseable {
        private final String address;
        private boolean closed;

        private Permit(String address) {
            this.address = address;
        }

        @Override
        public synchronized void close() {
            if (!closed) {
                closed = true;
                release(address);
            }
        }
    }

    /** Either a permit or a refusal. */
    public record Decision(Permit permit, Refusal refusal) {
    }

    private final AdmissionProperties limits;
    private final AtomicInteger open = new AtomicInteger();
    private final ConcurrentHashMap<String, Integer> openByAddress = new ConcurrentHashMap<>();
    /** Buckets of addresses seen lately; an idle address's bucket is full again after a minute anyway. */
    private final Cache<String, Bucket> buckets;

    public AdmissionControl(AdmissionProperties limits) {
        this.limits = limits;
        this.buckets = Caffeine.newBuilder().expireAfterAccess(Duration.ofMinutes(1)).maximumSize(1_000_000).build();
    }

    public Decision admit(String address) {
        ConsumptionProbe probe = buckets.get(address, a -> newBucket()).tryConsumeAndReturnRemaining(1);
        if (!probe.isConsumed()) {
            long seconds = Math.max(1, (probe.getNanosToWaitForRefill() + 999_999_999L) / 1_000_000_000L);
            return refused("rate", "More than " + limits.connectionRatePerAddress()
                    + " new streams per second from this address.", seconds);
        }
        if (open.incrementAndGet() > limits.maxConnections()) {
            open.decrementAndGet();
            return refused("total", "This instance holds its maximum of " + limits.maxConnections() + " streams.", 5);
        }
        boolean[] full = new boolean[1];
        // Counted inside compute: a concurrent release cannot remove the entry between check and increment.
        openByAddress.compute(address, (a, n) -> {
            int next = (n == null ? 0 : n) + 1;
            if (next > limits.maxConnectionsPerAddress()) {
                full[0] = true;
                return n;
            }
            return next;
        });
        if (full[0]) {
            open.decrementAndGet();
            return refused("address", "This address holds its maximum of " + limits.maxConnectionsPerAddress()
                    + " streams.", 5);
        }
        return new Decision(new Permit(address), null);
    }

    public int open() {
        return open.get();
    }

    private Bucket newBucket() {
        return Bucket.builder()
                .addLimit(Bandwidth.builder().capacity(limits.connectionBurstPerAddress())
                        .refillGreedy(limits.connectionRatePerAddress(), Duration.ofSeconds(1)).build())
                .build();
    }

    private void release(String address) {
        open.decrementAndGet();
        openByAddress.computeIfPresent(address, (a, n) -> n <= 1 ? null : n - 1);
    }

    private static Decision refused(String reason, String detail, long retryAfterSeconds) {
        return new Decision(null, new Refusal(reason, detail, retryAfterSeconds));
    }
}
