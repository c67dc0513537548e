package dev.ssebridge.bridge.request;

import dev.ssebridge.bridge.channel.Channel;
import dev.ssebridge.bridge.config.BridgeProperties;
import dev.ssebridge.bridge.conflation.ConflationPolicy;
import dev.ssebridge.bridge.conflation.MaxRate;
import dev.ssebridge.bridge.connection.StreamOptions;
import dev.ssebridge.bridge.start.StartRequest;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.util.MultiValueMap;

/**
 * Reads {@code snapshot} and {@code max_rate} from a stream's query, against each channel's settings.
 *
 * <ul>
 * <li>{@code snapshot=true}: the channels that keep state start with their snapshot; the others start as
 *     {@code since}/{@code from} say. A cursor wins: a reconnecting EventSource sends {@code Last-Event-ID} with
 *     the URL it first opened, and resumes exactly instead. A stream without such a channel is a 400.</li>
 * <li>Without it, a channel whose snapshot is on {@code by-default} starts with it, unless the client asked
 *     for a cursor, {@code since} or {@code from}; {@code snapshot=false} opts out.</li>
 * <li>{@code max_rate}: events per second per piece of state, for the channels that allow conflation; a stream
 *     with none of them is a 400 (alerts: every one must arrive). Those channels are conflated while the client
 *     falls behind whether or not it asked.</li>
 * </ul>
 */
public final class StreamOptionRequests {

    static final String SNAPSHOT = "snapshot";
    static final String MAX_RATE = "max_rate";

    private final Map<String, BridgeProperties.ChannelProperties> settings;

    public StreamOptionRequests(BridgeProperties properties) {
        this.settings = properties.channels();
    }

    public StreamOptions parse(List<Channel> stream, MultiValueMap<String, String> query, StartRequest start) {
        return new StreamOptions(snapshot(stream, query, start), conflation(stream, query));
    }

    private Set<Channel> snapshot(List<Channel> stream, MultiValueMap<String, String> query, StartRequest start) {
        String asked = single(query, SNAPSHOT);
        Boolean wanted = asked == null ? null : switch (asked.strip()) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new InvalidParameterException(SNAPSHOT, "snapshot must be true or false");
        };
        // A family's members keep no state and are not conflated: their settings are the family's, which has neither.
        List<Channel> keeping = stream.stream()
                .filter(c -> !c.isMember() && settings.get(c.name()).snapshot().enabled()).toList();
        if (Boolean.TRUE.equals(wanted) && keeping.isEmpty()) {
            throw new InvalidParameterException(SNAPSHOT, "snapshot: no channel of this stream keeps state ("
                    + names(stream) + "); channels do with bridge.channels.<name>.snapshot.enabled");
        }
        if (start.cursor() != null || Boolean.FALSE.equals(wanted)) {
            return Set.of();
        }
        if (Boolean.TRUE.equals(wanted)) {
            return new LinkedHashSet<>(keeping);
        }
        if (!start.isLive()) {
            return Set.of();
        }
        return keeping.stream().filter(c -> settings.get(c.name()).snapshot().byDefault())
                .collect(Collectors.toCollection(LinkedHashSet::new));
    }

    private Map<Channel, ConflationPolicy> conflation(List<Channel> stream, MultiValueMap<String, String> query) {
        String asked = single(query, MAX_RATE);
        MaxRate rate;
        try {
            rate = asked == null ? null : MaxRate.parse(asked);
        } catch (IllegalArgumentException e) {
            throw new InvalidParameterException(MAX_RATE, e.getMessage());
        }
        Map<Channel, ConflationPolicy> policies = new LinkedHashMap<>();
        for (Channel channel : stream) {
            BridgeProperties.ConflationProperties conflation = channel.isMember() ? null
                    : settings.get(channel.name()).conflation();
            if (conflation == null || !conflation.allowed()) {
                continue;
            }
            MaxRate channelRate = rate != null ? rate
                    : conflation.defaultMaxRate() == null ? null : new MaxRate(conflation.defaultMaxRate());
            policies.put(channel, new ConflationPolicy(channelRate, conflation.maxHeldKeys()));
        }
        if (rate != null && policies.isEmpty()) {
            throw new InvalidParameterException(MAX_RATE, "max_rate: " + names(stream)
                    + " must deliver every event, and cannot be conflated");
        }
        return policies;
    }

    private static String single(MultiValueMap<String, String> query, String parameter) {
        List<String> values = query.get(parameter);
        if (values == null || values.isEmpty()) {
            return null;
        }
        if (values.size() > 1) {
            throw new InvalidParameterException(parameter, parameter + " takes one value");
        }
        return values.get(0) == null ? "" : values.get(0);
    }

    private static String names(List<Channel> stream) {
        return stream.stream().map(Channel::name).collect(Collectors.joining(", "));
    }
}
