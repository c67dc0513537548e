package dev.ssebridge.bridge.where;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import dev.cel.common.values.NullValue;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.json.JsonMapper;

class WhereFilterTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private final WhereCompiler compiler = new WhereCompiler();

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3})
    void matchesExactlyWhenTheReferenceEvaluationIsTrue(long seed) {
        Random random = new Random(seed);
        WhereReference grammar = new WhereReference(random);
        int evaluated = 0;
        int matched = 0;
        for (int e = 0; e < 400; e++) {
            WhereReference.Expr expression = grammar.expression(3);
            String text = expression.render(random);
            WhereFilter filter = compileOrFail(text);
            for (int r = 0; r < 15; r++) {
                Object record = grammar.record();
                boolean expected = Boolean.TRUE.equals(expression.eval(record));
                boolean actual = filter.matches(EventValue.ofJson(json(record)));
                if (actual != expected) {
                    fail("seed %d: %s on %s: CEL %s, reference %s (%s)", seed, text, new String(json(record),
                            StandardCharsets.UTF_8), actual, expected, expression.eval(record));
                }
                evaluated++;
                matched += expected ? 1 : 0;
            }
        }
        // Not a degenerate test: a fair share of both outcomes.
        assertThat(evaluated).isEqualTo(6000);
        assertThat(matched).isBetween(evaluated / 10, evaluated * 9 / 10);
    }

    @ParameterizedTest
    @ValueSource(longs = {11, 12, 13})
    void fuzzedExpressionsFailOnlyWithTheSyntaxErrorAndAPositionInside(long seed) {
        Random random = new Random(seed);
        WhereReference grammar = new WhereReference(random);
        String alphabet = "data.abn_sxy01239 \t\n()[]{}!&|=<>+-*/%?:,'\"\\.in has true false null eé😀\u0000";
        int rejected = 0;
        for (int i = 0; i < 3000; i++) {
            String text;
            switch (i % 3) {
                case 0: { // random characters
                    StringBuilder s = new StringBuilder();
                    for (int n = random.nextInt(40); n > 0; n--) {
                        s.appendCodePoint(alphabet.codePointAt(alphabet.offsetByCodePoints(0,
                                random.nextInt(alphabet.codePointCount(0, alphabet.length())))));
                    }
                    text = s.toString();
                    break;
                }
                case 1: { // a valid expression cut short
                    String valid = grammar.expression(3).render(random);
                    text = valid.substring(0, random.nextInt(valid.length() + 1));
                    break;
                }
                default: { // a valid expression with one character replaced, dropped or added
                    StringBuilder s = new StringBuilder(grammar.expression(3).render(random));
                    int at = random.nextInt(s.length());
                    char c = alphabet.charAt(random.nextInt(alphabet.length()));
                    switch (random.nextInt(3)) {
                        case 0:
                            s.setCharAt(at, c);
                            break;
                        case 1:
                            s.deleteCharAt(at);
                            break;
                        default:
                            s.insert(at, c);
                    }
                    text = s.toString();
                }
            }
            try {
                WhereFilter filter = compiler.compile(text);
                filter.matches(EventValue.ofJson(json(grammar.record()))); // accepted ones evaluate without throwing
            } catch (ExpressionSyntaxException e) {
                rejected++;
                assertThat(e.position()).as(text).isBetween(0, text.length());
                assertThat(e.problem()).as(text).isNotBlank();
            }
        }
        assertThat(rejected).isGreaterThan(1000);
    }

    @Test
    void aProblemIsReportedAtItsCharacterPosition() {
        assertPosition("data.a == ", 10);
        assertPosition("(data.a == 1", 12);
        assertPosition("data.a = 1", 7);
        assertPosition("data.a == 'x' && foo", 17);
        assertPosition("1 + 2", 2); // not a boolean
        // Positions count UTF-16 units, as a browser indexes the string: the emoji takes two.
        assertPosition("'😀' == data.s && data.é == 1", 23);
        assertPosition("data.s.matches('[')", 15);
    }

    @Test
    void limitsAreCheckedWhenCompiling() {
        assertThatThrownBy(() -> compiler.compile("data.a == '" + "x".repeat(CelExpressions.MAX_LENGTH) + "'"))
                .isInstanceOfSatisfying(ExpressionSyntaxException.class,
                        e -> assertThat(e.position()).isEqualTo(CelExpressions.MAX_LENGTH));
        assertThatThrownBy(() -> compiler.compile("(".repeat(60) + "true" + ")".repeat(60)))
                .isInstanceOf(ExpressionSyntaxException.class).hasMessageContaining("limit");
        StringBuilder wide = new StringBuilder("data.a == 0");
        for (int i = 1; wide.length() < CelExpressions.MAX_LENGTH - 20; i++) {
            wide.append(i % 2 == 0 ? " || " : " && ").append("data.a == ").append(i);
        }
        assertThatThrownBy(() -> compiler.compile(wide.toString()))
                .isInstanceOf(ExpressionSyntaxException.class).hasMessageContaining("limit");
        // No loops: the comprehension macros are not there.
        assertThatThrownBy(() -> compiler.compile("data.list.exists(x, x > 1)")).isInstanceOf(ExpressionSyntaxException.class);
        // No concatenation, and literal arguments for the string functions.
        assertThatThrownBy(() -> compiler.compile("'a' + 'b' == data.s")).isInstanceOf(ExpressionSyntaxException.class);
        assertThatThrownBy(() -> compiler.compile("data.s.contains(data.t)")).isInstanceOf(ExpressionSyntaxException.class);
        assertThat(compiler.compile("data.s.contains('x') && data.s.matches('^[a-z]+$')").matches(value("{\"s\":\"xy\"}")))
                .isTrue();
    }

    @Test
    void aMissingFieldOrATypeMismatchIsNoMatchNotAnError() {
        EventValue value = value("{\"progress\":0.75,\"status\":\"running\",\"n\":null}");

        assertThat(compiler.compile("data.progress >= 0.5 && data.status in ['running', 'queued']").matches(value)).isTrue();
        assertThat(compiler.compile("data.missing == 1").matches(value)).isFalse();
        assertThat(compiler.compile("!(data.missing == 1)").matches(value)).isFalse();
        assertThat(compiler.compile("data.status > 3").matches(value)).isFalse();
        assertThat(compiler.compile("data.n.x == 1").matches(value)).isFalse();
        assertThat(compiler.compile("data.progress").matches(value)).isFalse(); // not a boolean
        assertThat(compiler.compile("data.missing == 1 || data.status == 'running'").matches(value)).isTrue();
        assertThat(compiler.compile("has(data.missing) && data.missing > 1").matches(value)).isFalse();
        assertThat(compiler.compile("data.n == null").matches(value)).isTrue();
        assertThat(compiler.compile("data.progress / 0 > 1.0").matches(value("{\"progress\":1}"))).isFalse();
    }

    @Test
    void indexedFieldsCompareAcrossIntegerAndDouble() {
        // dev.cel's checker would narrow these to one overload by the literal's type (see DynamicComparisons).
        EventValue value = value("{\"x\":3,\"d\":1000.0,\"o\":{\"k\":[1,2.5]}}");

        assertThat(compiler.compile("data['x'] > 0.5").matches(value)).isTrue();
        assertThat(compiler.compile("data['d'] > 3").matches(value)).isTrue();
        assertThat(compiler.compile("data.o['k'][1] >= 2").matches(value)).isTrue();
        assertThat(compiler.compile("data.o.k[0] < 1.5 && data.o.k[0] <= 1").matches(value)).isTrue();
    }

    @Test
    void anAbsentValueMatchesNoFieldTest() {
        assertThat(compiler.compile("data.a == 1").matches(EventValue.ABSENT)).isFalse();
        assertThat(compiler.compile("data == null").matches(EventValue.ABSENT)).isTrue();
        assertThat(compiler.compile("true").matches(EventValue.ABSENT)).isTrue();
    }

    @Test
    void readsTheValueWhereItLiesInTheSharedFrameOnceAndSharesTheTree() {
        String value = "{\"a\":{\"b\":[1,2.5,\"x\",true,null]},\"big\":123456789012345678901234567890}";
        byte[] frame = ("id: abc\nevent: progress\ndata: {\"event\":\"progress\",\"data\":" + value
                + ",\"timestamp\":\"2026-01-01T00:00:00Z\"}\n\n").getBytes(StandardCharsets.UTF_8);
        int at = new String(frame, StandardCharsets.UTF_8).indexOf(value);
        EventValue shared = EventValue.ofJson(frame, at, value.length());

        Object tree = shared.tree();
        assertThat(tree).isEqualTo(Map.of("a", Map.of("b", List.of(1L, 2.5, "x", true, NullValue.NULL_VALUE)),
                "big", 1.2345678901234568E29));
        assertThat(shared.tree()).isSameAs(tree);
        assertThat(compiler.compile("data.a.b[1] == 2.5 && data.big > 1e29").matches(shared)).isTrue();
        assertThat(EventValue.ofJson(frame, 0, 12).tree()).as("not a JSON document").isEqualTo(NullValue.NULL_VALUE);
    }

    @Test
    void aCompiledFilterIsSafeToShareAcrossThreads() throws Exception {
        WhereFilter filter = compiler.compile("data.n % 2 == 0");
        List<Thread> threads = new ArrayList<>();
        List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int t = 0; t < 4; t++) {
            Thread thread = new Thread(() -> {
                for (int i = 0; i < 2000; i++) {
                    if (filter.matches(value("{\"n\":" + i + "}")) != (i % 2 == 0)) {
                        failures.add(new AssertionError("wrong result for " + i));
                    }
                }
            });
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        assertThat(failures).isEmpty();
    }

    private void assertPosition(String expression, int position) {
        assertThatThrownBy(() -> compiler.compile(expression))
                .isInstanceOfSatisfying(ExpressionSyntaxException.class, e -> assertThat(e.position()).as(e.getMessage())
                        .isEqualTo(position));
    }

    private WhereFilter compileOrFail(String text) {
        try {
            return compiler.compile(text);
        } catch (ExpressionSyntaxException e) {
            throw new AssertionError("the grammar produced an expression CEL rejects: " + text + ": " + e.getMessage(), e);
        }
    }

    private static EventValue value(String json) {
        return EventValue.ofJson(json.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] json(Object tree) {
        return JSON.writeValueAsBytes(plain(tree));
    }

    /** The tree with CEL's null as Java null, for Jackson. */
    private static Object plain(Object tree) {
        if (tree == NullValue.NULL_VALUE) {
            return null;
        }
        if (tree instanceof Map) {
            Map<String, Object> out = new LinkedHashMap<>();
            ((Map<?, ?>) tree).forEach((k, v) -> out.put((String) k, plain(v)));
            return out;
        }
        if (tree instanceof List) {
            List<Object> out = new ArrayList<>();
            ((List<?>) tree).forEach(v -> out.add(plain(v)));
            return out;
        }
        return tree;
    }
}
