package dev.ssebridge.bridge.where;

import dev.cel.common.values.NullValue;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A small grammar of {@code ?where=} expressions, a generator for it, and a reference evaluation written
 * from CEL's rules (as {@code dev.cel} 0.14 applies them), independent of CEL's code:
 *
 * <pre>
 * bool    := bool "||" bool | bool "&amp;&amp;" bool | "!" bool | "(" bool ")" | "true" | "false"
 *          | field op operand | field "in" "[" literal, ... "]" | "has(" field ")" | field
 * field   := "data" ("." name | "[" string "]")+
 * operand := field | literal          literal := int | double | string | bool | "null"
 * </pre>
 *
 * Evaluation: a field step on anything but an object, or a name the object lacks, is an error. {@code ==}
 * and {@code !=} compare numbers by value across int and double, lists and objects member by member, and
 * are false (not an error) for different types. Ordering works on two numbers, two strings or two booleans,
 * and is an error otherwise. {@code &&} and {@code ||}: a left side that is a non-boolean value is an
 * error; otherwise an error on either side is absorbed when the other side decides ({@code false} for
 * {@code &&}, {@code true} for {@code ||}). A filter matches when the result is {@code true}.
 */
final class WhereReference {

    /** Results besides Boolean values: an error, or a value that is not a boolean. */
    static final Object ERROR = new Object() {
        @Override
        public String toString() {
            return "<error>";
        }
    };
    static final Object NOT_BOOL = new Object() {
        @Override
        public String toString() {
            return "<not a bool>";
        }
    };

    /** A generated expression: its text and its reference evaluation. */
    interface Expr {
        String render(Random random);

        Object eval(Object data);

        /** How tightly the rendered text binds: 1 for ||, 2 for &&, 3 for the rest. */
        default int precedence() {
            return 3;
        }
    }

    // Names as identifiers, and names that need the index form (a space, a reserved word, non-ASCII).
    private static final String[] NAMES = {"a", "b", "n", "s", "o", "flag", "x y", "in", "é"};
    private static final String[] STRINGS = {"", "a", "b", "ab", "B", "é", "it's", "say \"hi\"", "back\\slash", "line\nbreak"};
    private static final double[] DOUBLES = {-1.5, 0.0, 0.5, 1.0, 2.0, 2.5, 1000.0};

    private final Random random;

    WhereReference(Random random) {
        this.random = random;
    }

    // ---- records ----

    /** A random record value: usually an object with some of the names, sometimes not an object at all. */
    Object record() {
        if (random.nextInt(20) == 0) {
            return literal(); // a number, string, boolean or null at the top: every field step fails
        }
        return object(2);
    }

    private Map<String, Object> object(int depth) {
        Map<String, Object> object = new LinkedHashMap<>();
        for (String name : NAMES) {
            if (random.nextInt(3) > 0) {
                object.put(name, value(depth));
            }
        }
        return object;
    }

    private Object value(int depth) {
        int kind = random.nextInt(depth > 0 ? 8 : 6);
        if (kind < 5) {
            return literal();
        }
        if (kind == 5 || depth == 0) {
            List<Object> list = new ArrayList<>();
            for (int i = random.nextInt(3); i > 0; i--) {
                list.add(literal());
            }
            return list;
        }
        return object(depth - 1);
    }

    Object literal() {
        switch (random.nextInt(5)) {
            case 0:
                return (long) (random.nextInt(7) - 3);
            case 1:
                return DOUBLES[random.nextInt(DOUBLES.length)];
            case 2:
                return STRINGS[random.nextInt(STRINGS.length)];
            case 3:
                return random.nextBoolean();
            default:
                return NullValue.NULL_VALUE;
        }
    }

    // ---- expressions ----

    Expr expression(int depth) {
        int kind = random.nextInt(depth > 0 ? 10 : 6);
        switch (kind) {
            case 0:
            case 1:
                return comparison();
            case 2:
                return in();
            case 3:
                return has();
            case 4:
                return fieldAsBool();
            case 5:
                return bool(random.nextBoolean());
            case 6:
                return not(expression(depth - 1));
            case 7:
            case 8:
                return and(expression(depth - 1), expression(depth - 1));
            default:
                return or(expression(depth - 1), expression(depth - 1));
        }
    }

    private static final String[] EQUALITY = {"==", "!="};
    private static final String[] ORDERING = {"<", "<=", ">", ">="};

    private Expr comparison() {
        Field left = field();
        boolean ordering = random.nextBoolean();
        String op = ordering ? ORDERING[random.nextInt(4)] : EQUALITY[random.nextInt(2)];
        Operand right;
        if (random.nextInt(4) == 0) {
            right = field();
        } else {
            Object literal = literal();
            while (ordering && literal == NullValue.NULL_VALUE) {
                literal = literal(); // CEL's checker rejects ordering against the null literal
            }
            right = new Literal(literal);
        }
        return new Expr() {
            @Override
            public String render(Random r) {
                return left.render(r) + space(r) + op + space(r) + right.render(r);
            }

            @Override
            public Object eval(Object data) {
                Object a = left.value(data);
                Object b = right.value(data);
                if (a == ERROR || b == ERROR) {
                    return ERROR;
                }
                switch (op) {
                    case "==":
                        return equal(a, b);
                    case "!=":
                        return !equal(a, b);
                    default:
                        Integer order = compare(a, b);
                        if (order == null) {
                            return ERROR;
                        }
                        switch (op) {
                            case "<":
                                return order < 0;
                            case "<=":
                                return order <= 0;
                            case ">":
                                return order > 0;
                            default:
                                return order >= 0;
                        }
                }
            }
        };
    }

    private Expr in() {
        Field left = field();
        List<Literal> list = new ArrayList<>();
        for (int i = random.nextInt(4); i > 0; i--) {
            list.add(new Literal(literal()));
        }
        return new Expr() {
            @Override
            public String render(Random r) {
                StringBuilder out = new StringBuilder(left.render(r)).append(" in [");
                for (int i = 0; i < list.size(); i++) {
                    out.append(i == 0 ? "" : "," + space(r)).append(list.get(i).render(r));
                }
                return out.append(']').toString();
            }

            @Override
            public Object eval(Object data) {
                Object a = left.value(data);
                if (a == ERROR) {
                    return ERROR;
                }
                for (Literal element : list) {
                    if (equal(a, element.value)) {
                        return true;
                    }
                }
                return false;
            }
        };
    }

    private Expr has() {
        Field field = field();
        while (!field.last().matches("[a-z]+") || field.last().equals("in")) {
            field = field(); // has() takes a field selection: data.x, not data["x"]
        }
        Field selected = field;
        return new Expr() {
            @Override
            public String render(Random r) {
                String path = selected.render(r);
                if (path.endsWith("]")) {
                    path = path.substring(0, path.lastIndexOf('[')) + "." + selected.last();
                }
                return "has(" + path + ")";
            }

            @Override
            public Object eval(Object data) {
                Object parent = selected.prefix(data);
                if (!(parent instanceof Map)) {
                    return ERROR;
                }
                return ((Map<?, ?>) parent).containsKey(selected.last());
            }
        };
    }

    private Expr fieldAsBool() {
        Field field = field();
        return new Expr() {
            @Override
            public String render(Random r) {
                return field.render(r);
            }

            @Override
            public Object eval(Object data) {
                Object value = field.value(data);
                return value == ERROR || value instanceof Boolean ? value : NOT_BOOL;
            }
        };
    }

    private static Expr bool(boolean value) {
        return new Expr() {
            @Override
            public String render(Random r) {
                return Boolean.toString(value);
            }

            @Override
            public Object eval(Object data) {
                return value;
            }
        };
    }

    private static Expr not(Expr operand) {
        return new Expr() {
            @Override
            public String render(Random r) {
                return "!(" + operand.render(r) + ")";
            }

            @Override
            public Object eval(Object data) {
                Object value = operand.eval(data);
                return value instanceof Boolean ? !(Boolean) value : ERROR;
            }
        };
    }

    private static Expr and(Expr left, Expr right) {
        return logical(left, right, "&&", false);
    }

    private static Expr or(Expr left, Expr right) {
        return logical(left, right, "||", true);
    }

    /** {@code &&} (decisive value false) or {@code ||} (decisive value true). */
    private static Expr logical(Expr left, Expr right, String op, boolean decisive) {
        return new Expr() {
            @Override
            public String render(Random r) {
                // Parenthesised at random: && binds tighter than ||, so some parentheses are needed, some not.
                String text = operandText(left, r) + space(r) + op + space(r) + operandText(right, r);
                return r.nextInt(3) == 0 ? "(" + text + ")" : text;
            }

            /**
             * Parentheses are left out only where precedence makes them unneeded (&& inside ||, a comparison
             * inside either): chains of one operator keep them, since the grouping of a chain is the
             * parser's choice and decides which side's error is absorbed.
             */
            private String operandText(Expr operand, Random r) {
                boolean needed = operand.precedence() <= precedence();
                return needed || r.nextBoolean() ? "(" + operand.render(r) + ")" : operand.render(r);
            }

            @Override
            public int precedence() {
                return decisive ? 1 : 2;
            }

            @Override
            public Object eval(Object data) {
                Object a = left.eval(data);
                if (a == NOT_BOOL) {
                    return ERROR;
                }
                if (a instanceof Boolean && (Boolean) a == decisive) {
                    return decisive;
                }
                Object b = right.eval(data);
                if (b instanceof Boolean && (Boolean) b == decisive) {
                    return decisive;
                }
                if (a == ERROR) {
                    return ERROR;
                }
                return b instanceof Boolean ? b : ERROR;
            }
        };
    }

    private static String space(Random r) {
        return r.nextInt(4) == 0 ? "" : " ";
    }

    // ---- operands ----

    interface Operand {
        String render(Random random);

        Object value(Object data);
    }

    Field field() {
        List<String> path = new ArrayList<>();
        path.add(NAMES[random.nextInt(NAMES.length)]);
        if (random.nextInt(3) == 0) {
            path.add(NAMES[random.nextInt(NAMES.length)]);
        }
        return new Field(path);
    }

    static final class Field implements Operand {
        private final List<String> path;

        Field(List<String> path) {
            this.path = path;
        }

        @Override
        public String render(Random r) {
            StringBuilder out = new StringBuilder("data");
            for (String name : path) {
                boolean identifier = name.matches("[a-z]+") && !name.equals("in");
                out.append(identifier && r.nextInt(4) > 0 ? "." + name : "[" + stringLiteral(name, r) + "]");
            }
            return out.toString();
        }

        @Override
        public Object value(Object data) {
            Object parent = prefix(data);
            if (!(parent instanceof Map)) {
                return ERROR;
            }
            Object value = ((Map<?, ?>) parent).get(last());
            return value == null ? ERROR : value;
        }

        /** The value the last step applies to, or ERROR. */
        Object prefix(Object data) {
            Object current = data;
            for (String name : path.subList(0, path.size() - 1)) {
                if (!(current instanceof Map) || !((Map<?, ?>) current).containsKey(name)) {
                    return ERROR;
                }
                current = ((Map<?, ?>) current).get(name);
            }
            return current;
        }

        String last() {
            return path.get(path.size() - 1);
        }
    }

    static final class Literal implements Operand {
        final Object value;

        Literal(Object value) {
            this.value = value;
        }

        @Override
        public String render(Random r) {
            if (value instanceof String) {
                return stringLiteral((String) value, r);
            }
            if (value == NullValue.NULL_VALUE) {
                return "null";
            }
            return value.toString(); // Long: digits; Double: always with a '.' for the values used; Boolean
        }

        @Override
        public Object value(Object data) {
            return value;
        }
    }

    /** A CEL string literal in single or double quotes, with escapes where needed. */
    static String stringLiteral(String value, Random r) {
        char quote = r.nextBoolean() ? '"' : '\'';
        StringBuilder out = new StringBuilder().append(quote);
        for (char c : value.toCharArray()) {
            if (c == quote || c == '\\') {
                out.append('\\').append(c);
            } else if (c == '\n') {
                out.append("\\n");
            } else {
                out.append(c);
            }
        }
        return out.append(quote).toString();
    }

    // ---- CEL's comparisons, by the rules in the class comment ----

    static boolean equal(Object a, Object b) {
        if (a instanceof Number && b instanceof Number) {
            return compareNumbers((Number) a, (Number) b) == 0;
        }
        if (a instanceof List && b instanceof List) {
            List<?> x = (List<?>) a;
            List<?> y = (List<?>) b;
            if (x.size() != y.size()) {
                return false;
            }
            for (int i = 0; i < x.size(); i++) {
                if (!equal(x.get(i), y.get(i))) {
                    return false;
                }
            }
            return true;
        }
        if (a instanceof Map && b instanceof Map) {
            Map<?, ?> x = (Map<?, ?>) a;
            Map<?, ?> y = (Map<?, ?>) b;
            if (!x.keySet().equals(y.keySet())) {
                return false;
            }
            for (Object key : x.keySet()) {
                if (!equal(x.get(key), y.get(key))) {
                    return false;
                }
            }
            return true;
        }
        return a.getClass() == b.getClass() && a.equals(b);
    }

    /** The order of two comparable values, or null when CEL has no ordering for them. */
    static Integer compare(Object a, Object b) {
        if (a instanceof Number && b instanceof Number) {
            return compareNumbers((Number) a, (Number) b);
        }
        if (a instanceof String && b instanceof String) {
            return Integer.signum(((String) a).compareTo((String) b));
        }
        if (a instanceof Boolean && b instanceof Boolean) {
            return Boolean.compare((Boolean) a, (Boolean) b);
        }
        return null;
    }

    private static int compareNumbers(Number a, Number b) {
        if (a instanceof Long && b instanceof Long) {
            return Long.compare(a.longValue(), b.longValue());
        }
        double x = a.doubleValue();
        double y = b.doubleValue();
        return x < y ? -1 : x > y ? 1 : 0; // no NaN in JSON; -0.0 equals 0.0
    }
}
