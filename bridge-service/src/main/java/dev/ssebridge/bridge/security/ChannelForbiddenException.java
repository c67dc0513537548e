package dev.ssebridge.bridge.security;

import java.util.List;

/** The token is valid but does not grant some of the channels asked for. */
public final class ChannelForbiddenException extends RuntimeException {

    private final List<String> channels;

    ChannelForbiddenException(List<String> channels) {
        super("The token does not grant channel" + (channels.size() == 1 ? " '" : "s '") + String.join("', '", channels)
                + "'.");
        this.channels = List.copyOf(channels);
    }

    public List<String> channels() {
        return channels;
    }
}
