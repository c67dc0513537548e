package dev.ssebridge.bridge.kafka;

import dev.ssebridge.bridge.channel.Channel;

/**
 * A family member's topic does not exist, or this bridge may not read it. Deliberately says no more: the answer must
 * be the one a value outside the family's allow-list gets, so that nobody can probe for topics.
 */
public class TopicNotServedException extends RuntimeException {

    private final Channel member;

    TopicNotServedException(Channel member) {
        super("no stream " + member.name(), null, false, false);
        this.member = member;
    }

    public Channel member() {
        return member;
    }
}
