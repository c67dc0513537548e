package dev.ssebridge.bridge.support;

import dev.ssebridge.bridge.channel.Channel;
import dev.ssebridge.bridge.channel.ChannelTag;

/**
 * Channels for unit tests, by name and only the settings a test cares about; the production code builds them from
 * configuration ({@code ChannelConfiguration}). Topic and event name default to the name, the tag to
 * {@link ChannelTag#of(String)}, the optional fields to none.
 */
public final class ChannelBuilder {

    private final String name;
    private String topic;
    private String eventName;
    private int tag;
    private String keyParameter;
    private String severityField;
    private String stateField;

    private ChannelBuilder(String name) {
        this.name = name;
        this.topic = name;
        this.eventName = name;
        this.tag = ChannelTag.of(name);
    }

    public static ChannelBuilder channel(String name) {
        return new ChannelBuilder(name);
    }

    /** A channel with nothing but its name. */
    public static Channel named(String name) {
        return channel(name).build();
    }

    public ChannelBuilder topic(String value) {
        topic = value;
        return this;
    }

    public ChannelBuilder eventName(String value) {
        eventName = value;
        return this;
    }

    public ChannelBuilder tag(int value) {
        tag = value;
        return this;
    }

    public ChannelBuilder keyParameter(String value) {
        keyParameter = value;
        return this;
    }

    public ChannelBuilder severityField(String value) {
        severityField = value;
        return this;
    }

    public ChannelBuilder stateField(String value) {
        stateField = value;
        return this;
    }

    public Channel build() {
        return new Channel(name, topic, eventName, tag, keyParameter, severityField, stateField);
    }
}
