package dev.ssebridge.bridge.channel;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A family of topics, one per value of a path parameter (see {@code BridgeProperties.FamilyProperties}). Its members
 * are channels named {@code <family>/<value>}: made on demand for a value the allow-list accepts, never configured.
 *
 * @param name        the family's name, its path segment
 * @param topicPrefix what comes before the value in a member's topic
 * @param topicSuffix what comes after it
 * @param parameter   the path parameter's name
 * @param allow       the values that may name a member
 * @param eventName   the {@code event:} name of every member's records
 * @param keyParameter the query parameter that filters a member by key, or null
 * @param tag         the family's 16-bit tag in cursors ({@link ChannelTag} of its name)
 */
public record ChannelFamily(String name, String topicPrefix, String topicSuffix, String parameter, Pattern allow,
                            String eventName, String keyParameter, int tag) {

    /** Values are plain in any case: they become a topic's name and a path segment. */
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9._-]{1,200}");

    /** The member for {@code value}, or empty when the value is not allowed (which looks like a missing topic). */
    public Optional<Channel> member(String value) {
        if (value == null || !PLAIN.matcher(value).matches() || !allow.matcher(value).matches()) {
            return Optional.empty();
        }
        return Optional.of(new Channel(name + "/" + value, topicPrefix + value + topicSuffix, eventName, tag,
                keyParameter, null, null, name));
    }

    /** The value a member of this family was made for. */
    public String valueOf(Channel member) {
        return member.name().substring(name.length() + 1);
    }
}
