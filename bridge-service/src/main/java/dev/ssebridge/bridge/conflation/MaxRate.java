package dev.ssebridge.bridge.conflation;

import java.util.Optional;

/**
 * A conflation rate: at most this many events per second per key. Parses the {@code max_rate} query
 * parameter and settles it against the channel's policy.
 *
 * @param perSecond events per second per key, in (0, {@link #MAX}]
 */
public record MaxRate(double perSecond) {

    /** Above this a rate conflates nothing a browser would notice; it also keeps the interval at 10 ms or more. */
    public static final double MAX = 100;

    public MaxRate {
        if (!(perSecond > 0 && perSecond <= MAX)) { // also rejects NaN
            throw new IllegalArgumentException("max_rate must be a number above 0 and at most " + (int) MAX);
        }
    }

    /**
     * {@code max_rate} as a client wrote it: a decimal number such as {@code 2} or {@code 0.5}.
     *
     * @throws IllegalArgumentException with a message fit for a 400 response
     */
    public static MaxRate parse(String text) {
        String value = text.strip();
        if (!value.matches("[0-9]{1,6}(\\.[0-9]{1,6})?")) {
            throw new IllegalArgumentException("max_rate must be a number above 0 and at most " + (int) MAX
                    + ", such as 2 or 0.5");
        }
        return new MaxRate(Double.parseDouble(value));
    }

    /** Least time between two events of one key. */
    public long intervalNanos() {
        return (long) Math.ceil(1e9 / perSecond);
    }

    /**
     * The rate one channel of a stream is conflated at: the client's request, else the channel's default; none
     * for a channel that forbids conflation (alerts: every one must arrive), whatever was asked.
     */
    public static Optional<MaxRate> effective(Optional<MaxRate> requested, Optional<MaxRate> channelDefault,
                                              boolean channelForbids) {
        if (channelForbids) {
            return Optional.empty();
        }
        return requested.isPresent() ? requested : channelDefault;
    }
}
