package dev.ssebridge.bridge.channel;

import java.util.Collection;

/** A request named a channel that is not configured. */
public class UnknownChannelException extends RuntimeException {

    private final String channel;
    private final Collection<String> known;

    UnknownChannelException(String channel, Collection<String> known) {
        super("unknown channel '" + channel + "'");
        this.channel = channel;
        this.known = known;
    }

    public String channel() {
        return channel;
    }

    public Collection<String> known() {
        return known;
    }
}
