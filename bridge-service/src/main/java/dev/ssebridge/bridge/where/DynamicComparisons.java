package dev.ssebridge.bridge.where;

import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelValidationException;
import dev.cel.common.ast.CelExpr;
import dev.cel.common.ast.CelReference;
import dev.cel.common.navigation.CelNavigableAst;
import dev.cel.common.navigation.CelNavigableExpr;
import dev.cel.compiler.CelCompiler;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Keeps {@code < <= > >=} dispatching on the values an event really has.
 *
 * <p>{@code dev.cel} 0.14's checker gives an index into a dynamic value ({@code data["x"]}, {@code data.list[0]})
 * a type parameter rather than {@code dyn}, and then binds it to the type of the other operand: in
 * {@code data["x"] > 0.5} it keeps only the double-double overload, so an integer {@code x} fails to compare,
 * while {@code data.x > 0.5} compares it. The runtime dispatches only among the overloads the checker kept.
 * This widens each ordering call to the overloads the checker keeps for two {@code dyn} operands, which is
 * what CEL's heterogeneous comparisons specify. Arithmetic needs no such help: CEL has no mixed-type
 * arithmetic, so the narrowed choice gives the same result. {@code ==}, {@code !=} and {@code in} have one
 * generic overload each.
 */
final class DynamicComparisons {

    private static final List<String> ORDERING = List.of("_<_", "_<=_", "_>_", "_>=_");
    private static final Map<String, String> SPELLING = Map.of("_<_", "<", "_<=_", "<=", "_>_", ">", "_>=_", ">=");

    private final Map<String, List<String>> dynamicOverloads = new HashMap<>();

    /**
     * Learns the overloads from {@code compiler} itself, so they follow its declarations.
     *
     * @param variable a {@code dyn} variable the compiler declares
     */
    DynamicComparisons(CelCompiler compiler, String variable) {
        for (String function : ORDERING) {
            try {
                CelAbstractSyntaxTree probe = compiler.compile(variable + ".a " + SPELLING.get(function) + " "
                        + variable + ".b").getAst();
                dynamicOverloads.put(function, probe.getReferenceMap().get(probe.getExpr().id()).overloadIds());
            } catch (CelValidationException e) {
                throw new IllegalStateException("CEL rejects a comparison of two dyn values", e);
            }
        }
    }

    /** {@code ast} with every ordering call open to all the overloads two dyn operands would get. */
    CelAbstractSyntaxTree widen(CelAbstractSyntaxTree ast) {
        Map<Long, CelReference> references = new HashMap<>(ast.getReferenceMap());
        boolean changed = false;
        for (CelExpr call : (Iterable<CelExpr>) CelNavigableAst.fromAst(ast).getRoot().allNodes()
                .map(CelNavigableExpr::expr)
                .filter(e -> e.getKind() == CelExpr.ExprKind.Kind.CALL && dynamicOverloads.containsKey(e.call().function()))
                ::iterator) {
            CelReference reference = references.get(call.id());
            List<String> all = dynamicOverloads.get(call.call().function());
            if (reference != null && !reference.overloadIds().equals(all)) {
                references.put(call.id(), CelReference.newBuilder().setName(reference.name()).addOverloadIds(all).build());
                changed = true;
            }
        }
        return changed ? CelAbstractSyntaxTree.newCheckedAst(ast.getExpr(), ast.getSource(), references, ast.getTypeMap())
                : ast;
    }
}
