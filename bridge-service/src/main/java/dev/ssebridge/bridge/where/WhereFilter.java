package dev.ssebridge.bridge.where;

import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import java.util.Optional;

/**
 * One connection's compiled {@code ?where=} expression. Immutable and thread-safe.
 *
 * <p>An event matches when the expression evaluates to {@code true}. Anything else does not match and is
 * not an error for the caller: {@code false}, a non-boolean result, or an evaluation error such as a field
 * the value does not have ({@code data.missing == 1}) or operands of types that cannot be compared
 * ({@code data.name < 3}). CEL's rules for {@code &&} and {@code ||} apply inside the expression, so
 * {@code has(data.x) && data.x > 1} and {@code data.missing == 1 || data.ok} work as a reader expects: an
 * error on one side is absorbed when the other side decides the result.
 */
public final class WhereFilter {

    private final String source;
    private final CelRuntime.Program program;

    WhereFilter(String source, CelRuntime.Program program) {
        this.source = source;
        this.program = program;
    }

    /** Whether the event whose record value is {@code value} passes the filter. Never throws. */
    public boolean matches(EventValue value) {
        Object data = value.tree();
        try {
            return Boolean.TRUE.equals(program.eval(name -> "data".equals(name) ? Optional.of(data) : Optional.empty()));
        } catch (CelEvaluationException e) {
            return false;
        }
    }

    /** The expression as the client wrote it. */
    public String source() {
        return source;
    }

    @Override
    public String toString() {
        return source;
    }
}
