package dev.ssebridge.bridge.request;

import dev.ssebridge.bridge.channel.Channel;
import dev.ssebridge.bridge.channel.Channels;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Reads {@code channels=} of a multiplexed stream: known names, no repeats, at most a configured number. */
public final class StreamChannels {

    public static final String PARAMETER = "channels";

    private final Channels channels;
    private final int maxChannels;

    public StreamChannels(Channels channels, int maxChannels) {
        this.channels = channels;
        this.maxChannels = maxChannels;
    }

    public List<Channel> parse(List<String> raw) {
        List<String> names = new ArrayList<>();
        if (raw != null) {
            for (String value : raw) {
                for (String part : value.split(",", -1)) {
                    if (!part.isBlank()) {
                        names.add(part.strip());
                    }
                }
            }
        }
        if (names.isEmpty()) {
            throw new InvalidParameterException(PARAMETER, "channels must name at least one of "
                    + String.join(", ", channels.names()) + ", e.g. channels=training,alerts");
        }
        if (names.size() > maxChannels) {
            throw new InvalidParameterException(PARAMETER, "a stream carries at most " + maxChannels + " channels");
        }
        Set<String> seen = new LinkedHashSet<>();
        Set<String> repeated = new LinkedHashSet<>();
        List<String> unknown = new ArrayList<>();
        List<Channel> stream = new ArrayList<>();
        for (String name : names) {
            if (!seen.add(name)) {
                repeated.add(name);
            } else if (channels.find(name).isEmpty()) {
                unknown.add(name);
            } else {
                stream.add(channels.require(name));
            }
        }
        if (!unknown.isEmpty()) {
            throw new InvalidParameterException(PARAMETER, "unknown channels: " + String.join(", ", unknown)
                    + "; channels are " + String.join(", ", channels.names()));
        }
        if (!repeated.isEmpty()) {
            throw new InvalidParameterException(PARAMETER, "channels named more than once: " + String.join(", ", repeated));
        }
        return stream;
    }
}
