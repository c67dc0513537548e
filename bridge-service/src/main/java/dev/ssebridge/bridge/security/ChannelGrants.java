package dev.ssebridge.bridge.security;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What a token grants, read from one claim: a space-separated string (OAuth's {@code scope}) or an array
 * of strings (a {@code channels} claim). Entries are {@code <prefix><channel>}, {@code <prefix>*} for every
 * channel, or {@code <prefix><admin grant>}; entries without the prefix are someone else's and ignored.
 *
 * @param channels channel names granted by name
 * @param all      every channel granted ({@code *})
 * @param admin    the admin grant: status, metrics and every channel
 */
public record ChannelGrants(Set<String> channels, boolean all, boolean admin) {

    public static final ChannelGrants NONE = new ChannelGrants(Set.of(), false, false);

    /**
     * @param claim      the claim's value as the JWT library gives it (String, Collection or null)
     * @param prefix     prefix of the bridge's entries, may be empty
     * @param adminGrant the entry (after the prefix) that is the admin grant
     */
    public static ChannelGrants from(Object claim, String prefix, String adminGrant) {
        List<String> entries;
        if (claim instanceof String s) {
            entries = List.of(s.trim().split("\\s+"));
        } else if (claim instanceof Collection<?> c) {
            entries = c.stream().filter(String.class::isInstance).map(String.class::cast).toList();
        } else {
            return NONE;
        }
        Set<String> channels = new LinkedHashSet<>();
        boolean all = false;
        boolean admin = false;
        for (String entry : entries) {
            if (entry.isEmpty() || !entry.startsWith(prefix)) {
                continue;
            }
            String grant = entry.substring(prefix.length());
            if (grant.equals("*")) {
                all = true;
            } else if (grant.equals(adminGrant)) {
                admin = true;
            } else if (!grant.isEmpty()) {
                channels.add(grant);
            }
        }
        return new ChannelGrants(Set.copyOf(channels), all, admin);
    }

    public boolean grants(String channel) {
        return all || admin || channels.contains(channel);
    }
}
