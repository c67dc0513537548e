package dev.ssebridge.bridge.where;

import java.util.List;

/**
 * Compiles a client's {@code ?where=} expression, once per request: CEL over one variable, {@code data}, the
 * record's value (see {@link CelExpressions} for the language and its limits).
 *
 * <p>Thread-safe; one instance serves the application.
 */
public final class WhereCompiler {

    private final CelExpressions expressions = new CelExpressions(List.of("data"));

    /**
     * @throws ExpressionSyntaxException when it is not accepted, naming the position of the (first) problem
     */
    public WhereFilter compile(String expression) {
        CelExpressions.Compiled compiled = expressions.compile(expression);
        return new WhereFilter(compiled.source(), compiled.program());
    }
}
