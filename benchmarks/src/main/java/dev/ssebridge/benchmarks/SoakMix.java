package dev.ssebridge.benchmarks;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The soak's clients: which streams they hold, in what proportions. Per 20 clients: 5 plain streams of the timestamped
 * channel, 2 of the simulators' channels (one each in turn), 3 multiplexed streams of all five channels, 2 with a
 * {@code where=} filter (one key each), 2 with a snapshot first, 2 with {@code max_rate} (conflated), 2 with gzip, 1
 * that reads slowly at times (a multiplexed stream over a 4 KB receive buffer), and 1 more plain one. Orthogonally, a
 * share of every kind churns (drops and resumes at random) and a share renews short-lived tokens.
 */
final class SoakMix {

    /** How a kind's events are checked, one after the other. */
    enum Check {
        /** Unfiltered, unconflated: each event moves the cursor exactly one offset of one partition on. */
        EXACT,
        /** {@code where=} one key: the records of that key, every one, in order (seq steps by the key count). */
        WHERE,
        /** {@code max_rate}: the latest value per key; the cursor never goes back and always moves. */
        CONFLATED
    }

    /**
     * @param key        WHERE: the key number its filter selects
     * @param shortToken its token expires every few minutes and is renewed (the stream ends at {@code exp})
     */
    record Kind(String name, String path, Check check, int key, boolean snapshot, boolean gzip, boolean slow,
                boolean shortToken) {

        Kind withShortToken() {
            return new Kind(name + "+short-token", path, check, key, snapshot, gzip, slow, true);
        }

        /** The cursor tags of the channels its stream carries (from its path). */
        Set<Integer> tags() {
            String channels = path.startsWith(MULTIPLEXED_PATH) ? path.substring(path.indexOf('=') + 1)
                    : path.substring("/api/v1/sse/".length()).replaceAll("\\?.*", "");
            Set<Integer> tags = new TreeSet<>();
            for (String channel : channels.split(",")) {
                tags.add(SoakSampler.tag(channel));
            }
            return tags;
        }
    }

    static final String BENCH = "bench";
    static final String CONFLATED_BENCH = "benchc";
    static final List<String> SEED_CHANNELS = List.of("training", "backtest", "alerts", "dashboard");
    private static final String MULTIPLEXED_PATH = "/api/v1/sse/stream?";
    private static final String MULTIPLEXED = MULTIPLEXED_PATH + "channels=bench,training,backtest,alerts,dashboard";

    private SoakMix() {
    }

    /** Client {@code i}'s kind, over {@code keys} keys. */
    static Kind kindOf(int i, int keys) {
        Kind kind = switch (i % 20) {
            case 0, 1, 2, 3, 4, 19 -> new Kind("plain", "/api/v1/sse/" + BENCH, Check.EXACT, -1, false, false, false,
                    false);
            case 5, 6 -> {
                String channel = SEED_CHANNELS.get((i / 20 + i % 20) % SEED_CHANNELS.size());
                yield new Kind("plain-" + channel, "/api/v1/sse/" + channel, Check.EXACT, -1, false, false, false,
                        false);
            }
            case 7, 8, 9 -> new Kind("multiplexed", MULTIPLEXED, Check.EXACT, -1, false, false, false, false);
            case 10, 11 -> {
                int key = (i / 20) % keys;
                String where = URLEncoder.encode(whereKey(key, keys), StandardCharsets.UTF_8);
                yield new Kind("where", "/api/v1/sse/" + BENCH + "?where=" + where, Check.WHERE, key, false, false,
                        false, false);
            }
            case 12, 13 -> new Kind("snapshot", "/api/v1/sse/" + BENCH, Check.EXACT, -1, true, false, false, false);
            case 14, 15 -> new Kind("max_rate", "/api/v1/sse/" + CONFLATED_BENCH + "?max_rate=1", Check.CONFLATED, -1,
                    false, false, false, false);
            case 16, 17 -> new Kind("gzip", "/api/v1/sse/" + BENCH, Check.EXACT, -1, false, true, false, false);
            default -> new Kind("slow", MULTIPLEXED, Check.EXACT, -1, false, false, true, false);
        };
        // One in five of every kind renews a token that lives a few minutes.
        return (i / 20) % 5 == 1 ? kind.withShortToken() : kind;
    }

    /**
     * A {@code where=} expression true for the records of key {@code task-<key>}: a filter sees the value, not the
     * key, and the value's {@code progress} is {@code seq mod 100}, so with a key count that divides 100 the key's
     * records are those whose progress is the key plus a multiple of the count.
     */
    static String whereKey(int key, int keys) {
        if (100 % keys != 0) {
            throw new IllegalArgumentException("the soak's --keys must divide 100 (its where= clients select a key by"
                    + " the records' progress, seq mod 100), not " + keys);
        }
        List<String> terms = new ArrayList<>();
        for (int progress = key; progress < 100; progress += keys) {
            terms.add("data.progress == " + progress);
        }
        return String.join(" || ", terms);
    }

    /** Whether client {@code i} churns: three in ten, spread over the kinds. */
    static boolean churns(int i) {
        return (i / 20 + i) % 10 < 3;
    }

    /** The kinds of {@code clients} clients, for the report. */
    static List<Kind> kinds(int clients, int keys) {
        List<Kind> kinds = new ArrayList<>(clients);
        for (int i = 0; i < clients; i++) {
            kinds.add(kindOf(i, keys));
        }
        return kinds;
    }
}
