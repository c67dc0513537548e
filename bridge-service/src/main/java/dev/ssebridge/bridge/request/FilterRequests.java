package dev.ssebridge.bridge.request;

import dev.ssebridge.bridge.channel.Channel;
import dev.ssebridge.bridge.channel.Channels;
import dev.ssebridge.bridge.connection.StreamFilter;
import dev.ssebridge.bridge.frame.Severities;
import dev.ssebridge.bridge.where.ExpressionSyntaxException;
import dev.ssebridge.bridge.where.WhereCompiler;
import dev.ssebridge.bridge.where.WhereFilter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.springframework.util.MultiValueMap;

/**
 * Reads a stream's filters from its query: {@code key=} for every channel, each channel's own key
 * parameter ({@code task_id}, {@code backtest_id}, {@code portfolio_id}, ...), {@code min_severity}, and
 * {@code where} (a CEL expression on the record value, compiled here once per connection). Filters combine
 * with AND. Key values may repeat the parameter or be comma-separated.
 */
public final class FilterRequests {

    static final String KEY = "key";
    static final String MIN_SEVERITY = "min_severity";
    static final String WHERE = "where";
    static final int MAX_VALUES = 100;
    private static final Pattern KEY_VALUE = Pattern.compile("[A-Za-z0-9._:@/+=-]{1,256}");

    private final Channels channels;
    private final WhereCompiler where;

    public FilterRequests(Channels channels, WhereCompiler where) {
        this.channels = channels;
        this.where = where;
    }

    public StreamFilter parse(List<Channel> stream, MultiValueMap<String, String> query) {
        Map<Channel, Set<String>> keys = new HashMap<>();
        Set<String> anyChannel = values(query, KEY);
        if (anyChannel != null) {
            stream.forEach(channel -> keys.put(channel, anyChannel));
        }
        for (Channel channel : channels.all()) {
            String parameter = channel.keyParameter();
            Set<String> own = parameter == null ? null : values(query, parameter);
            if (own == null) {
                continue;
            }
            if (!stream.contains(channel)) {
                throw new InvalidParameterException(parameter, parameter + " filters channel '" + channel.name()
                        + "', which this stream does not carry");
            }
            keys.merge(channel, own, FilterRequests::intersection);
        }
        return StreamFilter.of(keys, minSeverity(stream, query), where(query));
    }

    private static Map<Channel, Integer> minSeverity(List<Channel> stream, MultiValueMap<String, String> query) {
        List<String> requested = query.get(MIN_SEVERITY);
        if (requested == null || requested.isEmpty()) {
            return Map.of();
        }
        if (requested.size() > 1) {
            throw new InvalidParameterException(MIN_SEVERITY, "min_severity takes one value");
        }
        int rank = Severities.rank(requested.get(0).strip());
        if (rank < 0) {
            throw new InvalidParameterException(MIN_SEVERITY, "min_severity must be one of low, medium, high, critical");
        }
        Map<Channel, Integer> min = new HashMap<>();
        stream.stream().filter(c -> c.severityField() != null).forEach(c -> min.put(c, rank));
        if (min.isEmpty()) {
            throw new InvalidParameterException(MIN_SEVERITY,
                    "min_severity filters channels with a severity, and this stream carries none");
        }
        return min;
    }

    /** The compiled {@code where} expression, or null without one; a bad one is a 400 naming its position. */
    private WhereFilter where(MultiValueMap<String, String> query) {
        List<String> expressions = query.get(WHERE);
        if (expressions == null || expressions.isEmpty()) {
            return null;
        }
        if (expressions.size() > 1) {
            throw new InvalidParameterException(WHERE, "where takes one expression (combine conditions with &&)");
        }
        String expression = expressions.get(0);
        if (expression == null || expression.isBlank()) {
            throw new InvalidParameterException(WHERE, "where needs an expression, such as data.progress >= 50");
        }
        try {
            return where.compile(expression);
        } catch (ExpressionSyntaxException e) {
            throw new InvalidParameterException(WHERE, "where: " + e.problem() + " (at position " + e.position()
                    + ", counting from 0)", e.position());
        }
    }

    /** The values of {@code parameter}, or null when it is absent. */
    private static Set<String> values(MultiValueMap<String, String> query, String parameter) {
        List<String> raw = query.get(parameter);
        if (raw == null) {
            return null;
        }
        List<String> values = new ArrayList<>();
        for (String value : raw) {
            for (String part : value.split(",", -1)) {
                values.add(part.strip());
            }
        }
        if (values.size() > MAX_VALUES) {
            throw new InvalidParameterException(parameter, parameter + " takes at most " + MAX_VALUES + " values");
        }
        for (String value : values) {
            if (!KEY_VALUE.matcher(value).matches()) {
                throw new InvalidParameterException(parameter, parameter
                        + " values must be 1 to 256 characters of A-Z a-z 0-9 . _ : @ / + = -");
            }
        }
        return new LinkedHashSet<>(values);
    }

    private static Set<String> intersection(Set<String> a, Set<String> b) {
        Set<String> both = new HashSet<>(a);
        both.retainAll(b);
        return both;
    }
}
