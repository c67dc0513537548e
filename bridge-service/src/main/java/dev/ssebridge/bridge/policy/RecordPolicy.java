package dev.ssebridge.bridge.policy;

import dev.cel.common.ast.CelConstant;
import dev.cel.common.ast.CelExpr;
import dev.cel.common.navigation.CelNavigableAst;
import dev.cel.common.navigation.CelNavigableExpr;
import dev.cel.common.values.NullValue;
import dev.cel.runtime.CelEvaluationException;
import dev.ssebridge.bridge.where.CelExpressions;
import dev.ssebridge.bridge.where.EventValue;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * A channel's record policy: a CEL expression that must hold for a record to reach a client, over
 * <ul>
 * <li>{@code record}: {@code key} (text, or null), {@code value} (the JSON value; null for a tombstone),
 *     {@code headers} (name to text, when the policy reads them), {@code partition}, {@code offset},
 *     {@code timestamp} (epoch millis);</li>
 * <li>{@code value}: the same as {@code record.value};</li>
 * <li>{@code claims}: the caller's token claims (empty without security);</li>
 * <li>{@code params}: the request's path parameters (empty for a plain channel).</li>
 * </ul>
 * For example {@code record.key in claims.portfolios} or {@code value.team == claims.team}.
 *
 * <p>Fails closed: a record the policy errors on (a field the value lacks, a claim of the wrong type) is not
 * delivered, and counted per reason. Values and claims are never logged or put in a metric.
 *
 * <p>Which claims it reads is worked out once, from the expression: a connection's scope is keyed by those claims
 * only (a thousand clients whose tokens differ in other claims share one scope and one evaluation per record). An
 * expression that uses {@code claims} otherwise than by name reads all of them.
 *
 * <p>Thread-safe.
 */
public final class RecordPolicy {

    /** Why an evaluation did not say yes or no. */
    public enum Failure {
        /** The expression failed on this record (a missing field, a claim of another type than expected). */
        EVALUATION_ERROR("evaluation_error"),
        /** It gave something else than true or false. */
        NOT_BOOLEAN("not_boolean");

        private final String label;

        Failure(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    private final String name;
    private final CelExpressions.Compiled compiled;
    private final Set<String> claimsRead; // null: all of them
    private final boolean readsHeaders;
    private final Map<PolicyScope.Key, PolicyScope> scopes = new ConcurrentHashMap<>();
    private final LongAdder evaluations = new LongAdder();
    private final LongAdder denied = new LongAdder();
    private final Map<Failure, LongAdder> failures = new EnumMap<>(Failure.class);

    /** @param name the channel's or family's name, as configured */
    RecordPolicy(String name, CelExpressions.Compiled compiled) {
        this.name = name;
        this.compiled = compiled;
        this.claimsRead = claimsRead(compiled);
        this.readsHeaders = readsHeaders(compiled);
        for (Failure failure : Failure.values()) {
            failures.put(failure, new LongAdder());
        }
    }

    /** The name of the channel or family of topics it is configured for. */
    public String name() {
        return name;
    }

    /** The expression as configured. */
    public String source() {
        return compiled.source();
    }

    /** Whether records must keep their headers for this policy. */
    public boolean readsHeaders() {
        return readsHeaders;
    }

    /**
     * The claims it reads, by name (sorted), or null when it reads all of them.
     */
    public Set<String> claimsRead() {
        return claimsRead;
    }

    /**
     * The scope of a connection with these claims and path parameters, shared with every connection that has the
     * same values of the claims the policy reads; {@link #release} it when the connection ends.
     *
     * @throws InvalidClaimsException when a claim it reads is larger or deeper than the bounds
     */
    public PolicyScope acquire(Map<String, Object> claims, Map<String, String> params) {
        return scopes.compute(keyOf(claims, params), (k, scope) -> {
            PolicyScope s = scope != null ? scope : new PolicyScope(this, k);
            s.references++;
            return s;
        });
    }

    /**
     * What a scope is shared under: the claims the policy reads, as it evaluates them, and the path parameters.
     *
     * @throws InvalidClaimsException when a claim it reads is larger or deeper than the bounds
     */
    PolicyScope.Key keyOf(Map<String, Object> claims, Map<String, String> params) {
        Map<String, Object> read;
        if (claimsRead == null) {
            read = ClaimValues.all(claims);
        } else {
            read = new TreeMap<>();
            for (String name : claimsRead) {
                read.put(name, ClaimValues.of(name, claims.get(name)));
            }
        }
        return new PolicyScope.Key(Collections.unmodifiableMap(read), Map.copyOf(params));
    }

    /** The connection that acquired {@code scope} ended; a scope nobody holds goes. */
    public void release(PolicyScope scope) {
        scopes.computeIfPresent(scope.key(), (k, s) -> s == scope && --s.references <= 0 ? null : s);
    }

    /** Distinct claim sets in use now. */
    public int scopes() {
        return scopes.size();
    }

    public long evaluations() {
        return evaluations.sum();
    }

    public long denied() {
        return denied.sum();
    }

    public long failures(Failure failure) {
        return failures.get(failure).sum();
    }

    boolean evaluate(PolicyScope scope, String key, EventValue value, Map<String, String> headers, int partition,
                     long offset, long timestamp) {
        evaluations.increment();
        Object tree = value.tree();
        Map<String, Object> record = new HashMap<>(8);
        record.put("key", key == null ? NullValue.NULL_VALUE : key);
        record.put("value", tree);
        record.put("headers", headers == null ? Map.of() : headers);
        record.put("partition", (long) partition);
        record.put("offset", offset);
        record.put("timestamp", timestamp);
        Object result;
        try {
            result = compiled.program().eval(name -> switch (name) {
                case "record" -> Optional.of(record);
                case "value" -> Optional.of(tree);
                case "claims" -> Optional.of(scope.claims());
                case "params" -> Optional.of(scope.params());
                default -> Optional.empty();
            });
        } catch (CelEvaluationException e) {
            failures.get(Failure.EVALUATION_ERROR).increment();
            denied.increment();
            return false;
        }
        if (!(result instanceof Boolean allowed)) {
            failures.get(Failure.NOT_BOOLEAN).increment();
            denied.increment();
            return false;
        }
        if (!allowed) {
            denied.increment();
        }
        return allowed;
    }

    /** Whether an expression reads {@code record.headers}. */
    static boolean readsHeaders(CelExpressions.Compiled compiled) {
        return CelNavigableAst.fromAst(compiled.ast()).getRoot().allNodes().map(CelNavigableExpr::expr)
                .anyMatch(e -> e.getKind() == CelExpr.ExprKind.Kind.SELECT && e.select().field().equals("headers")
                        && e.select().operand().getKind() == CelExpr.ExprKind.Kind.IDENT
                        && e.select().operand().ident().name().equals("record"));
    }

    /**
     * The claims an expression reads by name ({@code claims.portfolios}, {@code claims["team"]},
     * {@code has(claims.x)}), or null when it uses {@code claims} otherwise (then all claims count).
     */
    static Set<String> claimsRead(CelExpressions.Compiled compiled) {
        Set<String> names = new TreeSet<>();
        for (CelNavigableExpr node : (Iterable<CelNavigableExpr>) CelNavigableAst.fromAst(compiled.ast()).getRoot()
                .allNodes()::iterator) {
            CelExpr expr = node.expr();
            if (expr.getKind() != CelExpr.ExprKind.Kind.IDENT || !expr.ident().name().equals("claims")) {
                continue;
            }
            CelExpr parent = node.parent().map(CelNavigableExpr::expr).orElse(null);
            if (parent != null && parent.getKind() == CelExpr.ExprKind.Kind.SELECT
                    && parent.select().operand().id() == expr.id()) {
                names.add(parent.select().field());
            } else if (parent != null && parent.getKind() == CelExpr.ExprKind.Kind.CALL
                    && parent.call().function().equals("_[_]") && parent.call().args().get(0).id() == expr.id()
                    && parent.call().args().get(1).getKind() == CelExpr.ExprKind.Kind.CONSTANT
                    && parent.call().args().get(1).constant().getKind() == CelConstant.Kind.STRING_VALUE) {
                names.add(parent.call().args().get(1).constant().stringValue());
            } else {
                return null;
            }
        }
        return Collections.unmodifiableSet(names);
    }
}
