package dev.ssebridge.bridge.where;

/**
 * A CEL expression the bridge does not accept (a client's {@code ?where=}, a channel's policy): a syntax or type
 * error, an unknown function, or a limit exceeded. Carries where the problem is, for a 400 problem response that
 * points at it, or the start-up error that names a policy's channel.
 */
public final class ExpressionSyntaxException extends RuntimeException {

    private final int position;
    private final String problem;

    ExpressionSyntaxException(int position, String problem) {
        super("position " + position + ": " + problem);
        this.position = position;
        this.problem = problem;
    }

    /**
     * Where the problem is: an index into the expression as a Java or JavaScript string (UTF-16 code units,
     * from 0). Equal to the expression's length when the problem is that it ended too soon.
     */
    public int position() {
        return position;
    }

    /** The problem without its position. */
    public String problem() {
        return problem;
    }
}
