package dev.ssebridge.bridge.where;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import dev.cel.checker.CelStandardDeclarations;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelIssue;
import dev.cel.common.CelOptions;
import dev.cel.common.CelSource;
import dev.cel.common.CelValidationException;
import dev.cel.common.ast.CelConstant;
import dev.cel.common.ast.CelExpr;
import dev.cel.common.navigation.CelNavigableAst;
import dev.cel.common.navigation.CelNavigableExpr;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import dev.cel.runtime.CelStandardFunctions;
import dev.cel.runtime.standard.AddOperator;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The bridge's CEL (the Common Expression Language, {@code dev.cel}) environment, for the expressions it evaluates on
 * records: a client's {@code ?where=} over {@code data}, the record's value ({@link WhereCompiler}), and a channel's
 * record policy over the record, the caller's claims and the request's path parameters ({@code policy}). Example:
 * {@code data.progress >= 0.5 && data.status in ["running", "queued"]}.
 *
 * <p>Why CEL: it is a specified expression language (not a path query), with the operators a filter needs
 * ({@code && || ! == < in}, literals, {@code has()}), known from Kubernetes and Envoy, designed to be
 * embedded with bounded cost, and its compiler reports errors with their position. JSONPath and JMESPath
 * select values rather than test them, spell literals awkwardly in a URL, and have no maintained Jackson 3
 * binding. What it costs: guava, protobuf-java, antlr4-runtime re2j and threeten-extra on the class path (about 7 MB of jars).
 *
 * <p>Limits, all checked here, at compile time, so that evaluating a compiled expression is cheap and bounded:
 * <ul>
 * <li>{@link #MAX_LENGTH} characters, {@link #MAX_NODES} syntax-tree nodes, nesting {@link #MAX_DEPTH} deep;</li>
 * <li>no loops: the comprehension macros ({@code all}, {@code exists}, {@code map}, {@code filter}) are not
 *     there, only {@code has()}; so each node is evaluated at most once per event;</li>
 * <li>only functions whose cost is linear in their input: comparisons, {@code in}, arithmetic on numbers,
 *     {@code size}, {@code int}, {@code double}, {@code string}, and {@code contains}, {@code startsWith},
 *     {@code endsWith}, {@code matches} (RE2, linear time) whose argument must be a literal; string and
 *     list concatenation are left out (a chain of them copies quadratically).</li>
 * </ul>
 * One evaluation therefore takes at most about {@code MAX_NODES} steps over its variables' values, each linear
 * in their size, which the decoder (records) and the claim bounds (tokens) keep small.
 *
 * <p>Thread-safe; one instance per set of variables serves the application (building it is the costly part).
 */
public final class CelExpressions {

    /** Longest expression, in characters: ample for a filter, and short enough for any URL. */
    public static final int MAX_LENGTH = 1024;
    /** Most syntax-tree nodes (a literal, a field step, an operator each count one). */
    public static final int MAX_NODES = 128;
    /** Deepest nesting of the parse, which recurses. */
    public static final int MAX_DEPTH = 32;
    /** Largest RE2 program a {@code matches} pattern may compile to. */
    static final int MAX_REGEX_PROGRAM_SIZE = 500;

    /** Functions whose second argument must be a literal. */
    private static final Set<String> LITERAL_ARGUMENT = Set.of("contains", "startsWith", "endsWith", "matches");

    private static final Set<CelStandardDeclarations.StandardFunction> DECLARED = Set.of(
            CelStandardDeclarations.StandardFunction.LOGICAL_NOT,
            CelStandardDeclarations.StandardFunction.LOGICAL_AND,
            CelStandardDeclarations.StandardFunction.LOGICAL_OR,
            CelStandardDeclarations.StandardFunction.CONDITIONAL,
            CelStandardDeclarations.StandardFunction.NOT_STRICTLY_FALSE,
            CelStandardDeclarations.StandardFunction.IN,
            CelStandardDeclarations.StandardFunction.EQUALS,
            CelStandardDeclarations.StandardFunction.NOT_EQUALS,
            CelStandardDeclarations.StandardFunction.LESS,
            CelStandardDeclarations.StandardFunction.LESS_EQUALS,
            CelStandardDeclarations.StandardFunction.GREATER,
            CelStandardDeclarations.StandardFunction.GREATER_EQUALS,
            CelStandardDeclarations.StandardFunction.ADD,
            CelStandardDeclarations.StandardFunction.SUBTRACT,
            CelStandardDeclarations.StandardFunction.MULTIPLY,
            CelStandardDeclarations.StandardFunction.DIVIDE,
            CelStandardDeclarations.StandardFunction.MODULO,
            CelStandardDeclarations.StandardFunction.NEGATE,
            CelStandardDeclarations.StandardFunction.INDEX,
            CelStandardDeclarations.StandardFunction.SIZE,
            CelStandardDeclarations.StandardFunction.INT,
            CelStandardDeclarations.StandardFunction.DOUBLE,
            CelStandardDeclarations.StandardFunction.STRING,
            CelStandardDeclarations.StandardFunction.CONTAINS,
            CelStandardDeclarations.StandardFunction.STARTS_WITH,
            CelStandardDeclarations.StandardFunction.ENDS_WITH,
            CelStandardDeclarations.StandardFunction.MATCHES);

    private static final Set<CelStandardFunctions.StandardFunction> BOUND = Set.of(
            CelStandardFunctions.StandardFunction.LOGICAL_NOT,
            CelStandardFunctions.StandardFunction.NOT_STRICTLY_FALSE,
            CelStandardFunctions.StandardFunction.IN,
            CelStandardFunctions.StandardFunction.EQUALS,
            CelStandardFunctions.StandardFunction.NOT_EQUALS,
            CelStandardFunctions.StandardFunction.LESS,
            CelStandardFunctions.StandardFunction.LESS_EQUALS,
            CelStandardFunctions.StandardFunction.GREATER,
            CelStandardFunctions.StandardFunction.GREATER_EQUALS,
            CelStandardFunctions.StandardFunction.ADD,
            CelStandardFunctions.StandardFunction.SUBTRACT,
            CelStandardFunctions.StandardFunction.MULTIPLY,
            CelStandardFunctions.StandardFunction.DIVIDE,
            CelStandardFunctions.StandardFunction.MODULO,
            CelStandardFunctions.StandardFunction.NEGATE,
            CelStandardFunctions.StandardFunction.INDEX,
            CelStandardFunctions.StandardFunction.SIZE,
            CelStandardFunctions.StandardFunction.INT,
            CelStandardFunctions.StandardFunction.DOUBLE,
            CelStandardFunctions.StandardFunction.STRING,
            CelStandardFunctions.StandardFunction.CONTAINS,
            CelStandardFunctions.StandardFunction.STARTS_WITH,
            CelStandardFunctions.StandardFunction.ENDS_WITH,
            CelStandardFunctions.StandardFunction.MATCHES);

    /** {@code +} on strings, lists and bytes: left out of both the checker and the runtime. */
    private static final Set<Object> CONCATENATION = Set.of(
            CelStandardDeclarations.StandardFunction.Overload.Arithmetic.ADD_STRING,
            CelStandardDeclarations.StandardFunction.Overload.Arithmetic.ADD_LIST,
            CelStandardDeclarations.StandardFunction.Overload.Arithmetic.ADD_BYTES);
    private static final Set<Object> RUNTIME_CONCATENATION = Set.of(
            AddOperator.AddOverload.ADD_STRING, AddOperator.AddOverload.ADD_LIST, AddOperator.AddOverload.ADD_BYTES);

    /** An expression checked and ready to run. */
    public record Compiled(String source, CelAbstractSyntaxTree ast, CelRuntime.Program program) {
    }

    private final CelCompiler compiler;
    private final CelRuntime runtime;
    private final DynamicComparisons comparisons;

    /** @param variables the names the expressions may use, each of any JSON-like value ({@code dyn}) */
    public CelExpressions(List<String> variables) {
        CelOptions options = CelOptions.current()
                // JSON has one number type: 3 and 3.0 compare equal, and an integer field compares with 0.5.
                .enableHeterogeneousNumericComparisons(true)
                .enableComprehension(false)
                .maxExpressionCodePointSize(MAX_LENGTH)
                .maxParseExpressionNodeCount(MAX_NODES)
                .maxParseRecursionDepth(MAX_DEPTH)
                .maxRegexProgramSize(MAX_REGEX_PROGRAM_SIZE)
                .build();
        this.compiler = CelCompilerFactory.standardCelCompilerBuilder()
                .setOptions(options)
                .setStandardMacros(CelStandardMacro.HAS)
                .setStandardEnvironmentEnabled(false)
                .setStandardDeclarations(CelStandardDeclarations.newBuilder()
                        .filterFunctions((function, overload) -> DECLARED.contains(function) && !CONCATENATION.contains(overload))
                        .build())
                .addVarDeclarations(variables.stream()
                        .map(name -> dev.cel.common.CelVarDecl.newVarDeclaration(name, SimpleType.DYN)).toList())
                .setResultType(SimpleType.BOOL)
                .build();
        this.runtime = CelRuntimeFactory.standardCelRuntimeBuilder()
                .setOptions(options)
                .setStandardEnvironmentEnabled(false)
                .setStandardFunctions(CelStandardFunctions.newBuilder()
                        .filterFunctions((function, overload) -> BOUND.contains(function)
                                && !RUNTIME_CONCATENATION.contains(overload))
                        .build())
                .build();
        this.comparisons = new DynamicComparisons(compiler, variables.get(0));
    }

    /**
     * Compiles {@code expression} to a boolean program.
     *
     * @throws ExpressionSyntaxException when it is not accepted, naming the position of the (first) problem
     */
    public Compiled compile(String expression) {
        if (expression.length() > MAX_LENGTH) {
            throw new ExpressionSyntaxException(MAX_LENGTH, "expression longer than " + MAX_LENGTH + " characters");
        }
        CelAbstractSyntaxTree ast;
        try {
            ast = compiler.compile(expression).getAst();
        } catch (CelValidationException e) {
            CelIssue first = e.getErrors().stream()
                    .min(Comparator.comparing(CelIssue::getSourceLocation))
                    .orElseThrow();
            throw new ExpressionSyntaxException(position(expression, e.getSource(), first), first.getMessage());
        }
        checkLiteralArguments(expression, ast);
        try {
            CelAbstractSyntaxTree widened = comparisons.widen(ast);
            return new Compiled(expression, widened, runtime.createProgram(widened));
        } catch (CelEvaluationException e) {
            throw new ExpressionSyntaxException(0, e.getMessage());
        }
    }

    /**
     * The argument of {@link #LITERAL_ARGUMENT} functions must be a literal, so their cost stays linear in the
     * record; a {@code matches} pattern must compile (RE2, as CEL's runtime compiles it) within the size limit,
     * so a bad pattern is a 400 at its position instead of an event that silently never matches.
     */
    private static void checkLiteralArguments(String expression, CelAbstractSyntaxTree ast) {
        List<CelExpr> calls = CelNavigableAst.fromAst(ast).getRoot().allNodes()
                .map(CelNavigableExpr::expr)
                .filter(e -> e.getKind() == CelExpr.ExprKind.Kind.CALL && LITERAL_ARGUMENT.contains(e.call().function())
                        && !e.call().args().isEmpty())
                .collect(Collectors.toList());
        for (CelExpr call : calls) {
            CelExpr argument = call.call().args().get(call.call().args().size() - 1);
            if (argument.getKind() != CelExpr.ExprKind.Kind.CONSTANT) {
                throw new ExpressionSyntaxException(position(expression, ast, argument),
                        "the argument of contains, startsWith, endsWith and matches must be a literal");
            }
            if (call.call().function().equals("matches")
                    && argument.constant().getKind() == CelConstant.Kind.STRING_VALUE) {
                String problem = regexProblem(argument.constant().stringValue());
                if (problem != null) {
                    throw new ExpressionSyntaxException(position(expression, ast, argument), problem);
                }
            }
        }
    }

    private static String regexProblem(String pattern) {
        try {
            int size = Pattern.compile(pattern).programSize();
            return size <= MAX_REGEX_PROGRAM_SIZE ? null
                    : "pattern too complex (" + size + " > " + MAX_REGEX_PROGRAM_SIZE + " RE2 instructions)";
        } catch (PatternSyntaxException e) {
            return "invalid pattern: " + e.getDescription();
        }
    }

    private static int position(String expression, CelAbstractSyntaxTree ast, CelExpr expr) {
        Integer codePoint = ast.getSource().getPositionsMap().get(expr.id());
        return charIndex(expression, codePoint == null ? 0 : codePoint);
    }

    private static int position(String expression, CelSource source, CelIssue issue) {
        Optional<Integer> codePoint = source.getLocationOffset(issue.getSourceLocation());
        return charIndex(expression, codePoint.orElse(0));
    }

    /** CEL counts positions in code points; clients index strings in UTF-16 units. */
    private static int charIndex(String expression, int codePoint) {
        int codePoints = expression.codePointCount(0, expression.length());
        return expression.offsetByCodePoints(0, Math.max(0, Math.min(codePoint, codePoints)));
    }
}
