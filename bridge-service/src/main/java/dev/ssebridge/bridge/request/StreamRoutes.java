package dev.ssebridge.bridge.request;

import dev.ssebridge.bridge.channel.Channel;
import dev.ssebridge.bridge.channel.ChannelFamily;
import dev.ssebridge.bridge.channel.Channels;
import dev.ssebridge.bridge.config.BridgeProperties;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Reads what a stream path addresses: {@code /api/v1/sse/<channel>}, {@code /api/v1/sse/stream?channels=...}, a
 * configured route, {@code /api/v1/sse/<route>/<value>} (see {@link BridgeProperties.RouteProperties}), or a member
 * of a family of topics, {@code /api/v1/sse/<family>/<value>} (see {@link BridgeProperties.FamilyProperties}). The
 * value is checked like a key filter's values: plain printable ASCII, no path separators, not {@code .} or
 * {@code ..}; anything else is a 400 naming the parameter. A family's value outside its allow-list is a 404, the
 * answer a topic that does not exist gets ({@link #unknown}).
 */
public final class StreamRoutes {

    /** The path segment of the multiplexed stream, {@code /api/v1/sse/stream}. */
    public static final String MULTIPLEXED = "stream";
    /** A route's value: what a key filter takes, as one path segment. */
    private static final Pattern VALUE = Pattern.compile("[A-Za-z0-9._:@+=-]{1,256}");

    private final Channels channels;
    private final StreamChannels streamChannels;
    private final Map<String, BridgeProperties.RouteProperties> routes;

    public StreamRoutes(Channels channels, BridgeProperties properties) {
        this.channels = channels;
        this.streamChannels = new StreamChannels(channels, properties.stream().maxChannels());
        this.routes = properties.routes();
    }

    /**
     * What {@code /api/v1/sse/<segments>} addresses.
     *
     * @param segments          the path after {@code /api/v1/sse/}, decoded, one or two segments
     * @param channelsParameter the {@code channels} query parameter of a multiplexed stream
     */
    public StreamTarget target(List<String> segments, List<String> channelsParameter) {
        String first = segments.get(0);
        if (segments.size() == 1) {
            return StreamTarget.of(MULTIPLEXED.equals(first) ? streamChannels.parse(channelsParameter)
                    : List.of(channels.find(first).orElseThrow(() -> unknown(first, null))));
        }
        BridgeProperties.RouteProperties route = routes.get(first);
        ChannelFamily family = channels.family(first).orElse(null);
        if (route == null && family == null || segments.size() != 2) {
            throw unknown(String.join("/", segments), family == null ? null : family.name());
        }
        String value = segments.get(1);
        String parameter = route != null ? route.parameter() : family.parameter();
        if (!VALUE.matcher(value).matches() || value.equals(".") || value.equals("..")) {
            throw new InvalidParameterException(parameter, parameter + " (the path after /api/v1/sse/" + first
                    + "/) must be 1 to 256 characters of A-Z a-z 0-9 . _ : @ + = -, and not . or ..");
        }
        if (family != null) {
            Channel member = family.member(value).orElseThrow(() -> unknown(first + "/" + value, family.name()));
            return new StreamTarget(List.of(member), Map.of(parameter, value), Map.of());
        }
        Channel channel = channels.require(route.channel());
        return new StreamTarget(List.of(channel), Map.of(route.parameter(), value),
                route.key() ? Map.of(channel, Set.of(value)) : Map.of());
    }

    /**
     * The 404 for a family member whose topic does not exist or whose family's access rule refuses the caller: the
     * answer a value outside the allow-list gets.
     */
    public UnknownStreamException unknown(Channel member) {
        return unknown(member.name(), member.family());
    }

    /**
     * The 404 for a path that names no stream, naming every stream a path may start with: the channels, the routes
     * and the families. The same for a family member whose topic does not exist as for one the allow-list refuses.
     *
     * @param family the family the path asked a topic of, or null
     */
    private UnknownStreamException unknown(String name, String family) {
        List<String> known = new ArrayList<>(channels.names());
        for (String route : new TreeSet<>(routes.keySet())) {
            known.add(route + "/{" + routes.get(route).parameter() + "}");
        }
        for (ChannelFamily each : channels.families()) {
            known.add(each.name() + "/{" + each.parameter() + "}");
        }
        return new UnknownStreamException(name, family, known);
    }
}
